package dev.telemetry.test.web;

import java.util.Map;

import dev.telemetry.EventName;
import dev.telemetry.TelemetryEventBus;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A web application whose controller emits on the bus, for tests of Spring Boot's web slices.
 */
@SpringBootApplication
class WebApplication {

	@RestController
	static class PingController {

		private final TelemetryEventBus bus;

		PingController(TelemetryEventBus bus) {
			this.bus = bus;
		}

		@GetMapping("/ping")
		String ping() {
			this.bus.execute(EventName.parse("web.ping"), Map.of("count", 1), Map.of("path", "/ping"));
			return "pong";
		}

	}

}
