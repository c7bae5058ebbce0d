package dev.telemetry.sample.framework;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.telemetry.EventName;
import dev.telemetry.TelemetryListener;
import dev.telemetry.TelemetrySpanContext;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
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
 * {@code @TelemetryListener} on the framework events. The tests also read them from the test
 * kit's recorder.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableScheduling
@Import({ FrameworkEventsApplication.HelloController.class, FrameworkEventsApplication.Ticker.class,
		FrameworkEventsApplication.FrameworkEvents.class })
class FrameworkEventsApplication {

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

		final List<String> received = new CopyOnWriteArrayList<>();

		@TelemetryListener(events = { "http.server.requests.stop", "http.client.requests.stop",
				"tasks.scheduled.execution.stop" })
		void on(EventName event, Map<String, Number> measurements, Map<String, Object> metadata) {
			this.received.add(event + " " + metadata.get("uri") + " " + metadata.get(TelemetrySpanContext.METADATA_KEY));
		}

	}

}
