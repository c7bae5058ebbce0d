package dev.telemetry.sample.reactive;

import dev.telemetry.TelemetryEvent;
import reactor.core.publisher.Mono;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * A WebFlux application: an annotated service returning a {@code Mono} that calls another endpoint
 * with a {@code WebClient}. WebFlux keeps the request's Observation in the Reactor context, not in
 * a thread local.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({ ReactiveApplication.PriceController.class, ReactiveApplication.PriceService.class })
class ReactiveApplication {

	@RestController
	static class PriceController {

		private final PriceService service;

		PriceController(PriceService service) {
			this.service = service;
		}

		@GetMapping("/price/{sku}")
		Mono<String> price(@PathVariable String sku) {
			return this.service.price(sku);
		}

		@GetMapping("/list-price/{sku}")
		Mono<String> listPrice(@PathVariable String sku) {
			return Mono.just(sku + "=1.20");
		}

	}

	@Component
	static class PriceService {

		private final WebClient client;

		private final Environment environment;

		PriceService(WebClient.Builder builder, Environment environment) {
			this.client = builder.build();
			this.environment = environment;
		}

		@TelemetryEvent(value = "shop.price", metadata = "sku=#sku")
		public Mono<String> price(String sku) {
			return this.client.get()
				.uri("http://localhost:" + this.environment.getProperty("local.server.port") + "/list-price/{sku}", sku)
				.retrieve()
				.bodyToMono(String.class);
		}

	}

}
