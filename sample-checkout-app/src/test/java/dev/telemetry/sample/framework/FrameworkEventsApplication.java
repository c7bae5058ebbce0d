package dev.telemetry.sample.framework;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.telemetry.EventName;
import dev.telemetry.TelemetryListener;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

/**
 * A new application with only the starter, a {@code @RestController} that calls another endpoint
 * with a {@code RestClient}, and a {@code @Scheduled} method: no instrumentation code, one
 * listener on the framework events.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableScheduling
@Import({ FrameworkEventsApplication.HelloController.class, FrameworkEventsApplication.Ticker.class,
		FrameworkEventsApplication.FrameworkEvents.class })
class FrameworkEventsApplication {

	@Bean
	InMemorySpanExporter spanExporter() {
		return InMemorySpanExporter.create();
	}

	@RestController
	static class HelloController {

		private final RestClient restClient;

		private final Environment environment;

		HelloController(RestClient.Builder restClient, Environment environment) {
			this.restClient = restClient.build();
			this.environment = environment;
		}

		@GetMapping("/hello")
		String hello() {
			String port = this.environment.getRequiredProperty("local.server.port");
			return "hello " + this.restClient.get().uri("http://localhost:" + port + "/world").retrieve().body(String.class);
		}

		@GetMapping("/world")
		String world() {
			return "world";
		}

	}

	@Component
	static class Ticker {

		@Scheduled(fixedDelay = 200)
		void tick() {
		}

	}

	@Component
	static class FrameworkEvents {

		final List<Received> received = new CopyOnWriteArrayList<>();

		@TelemetryListener(events = { "http.server.requests.stop", "http.client.requests.stop",
				"tasks.scheduled.execution.stop" })
		void on(EventName event, Map<String, Number> measurements, Map<String, Object> metadata) {
			this.received.add(new Received(event.toString(), Map.copyOf(measurements), Map.copyOf(metadata)));
		}

		List<Received> named(String name) {
			return this.received.stream().filter((received) -> received.name().equals(name)).toList();
		}

	}

	record Received(String name, Map<String, Number> measurements, Map<String, Object> metadata) {
	}

}
