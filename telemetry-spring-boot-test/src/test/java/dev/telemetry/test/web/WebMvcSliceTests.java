package dev.telemetry.test.web;

import dev.telemetry.test.TelemetryRecorder;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import static dev.telemetry.test.TelemetryAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * In a {@code @WebMvcTest} slice, a controller that emits on the bus gets one, and the test kit
 * records what it emits.
 */
@WebMvcTest(WebApplication.PingController.class)
class WebMvcSliceTests {

	@Autowired
	MockMvcTester mvc;

	@Autowired
	TelemetryRecorder recorder;

	@Test
	void controllerEmitsOnTheBusInTheSlice() {
		assertThat(this.mvc.get().uri("/ping")).hasStatusOk().bodyText().isEqualTo("pong");
		assertThat(this.recorder).emitted("web.ping").once().withMetadata("path", "/ping");
	}

}
