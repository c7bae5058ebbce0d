package dev.telemetry.test.web;

import dev.telemetry.test.TelemetryRecorder;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.test.web.reactive.server.WebTestClient;

import static dev.telemetry.test.TelemetryAssertions.assertThat;

/**
 * In a {@code @WebFluxTest} slice, a controller that emits on the bus gets one, and the test kit
 * records what it emits.
 */
@WebFluxTest(WebApplication.PingController.class)
class WebFluxSliceTests {

	@Autowired
	WebTestClient client;

	@Autowired
	TelemetryRecorder recorder;

	@Test
	void controllerEmitsOnTheBusInTheSlice() {
		this.client.get().uri("/ping").exchange().expectStatus().isOk().expectBody(String.class).isEqualTo("pong");
		assertThat(this.recorder).emitted("web.ping").once().withMetadata("path", "/ping");
	}

}
