package dev.telemetry.test.shop;

import java.time.Duration;

import dev.telemetry.test.TelemetryRecorder;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static dev.telemetry.test.TelemetryAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The shop with the {@code @Async} executor no longer carrying the trace context (the starter's
 * propagation off, and Spring Boot's is off by default): the checkout's contract fails, naming the
 * thread whose events went to a trace of their own.
 */
@SpringBootTest(classes = ShopApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "telemetry.context-propagation.enabled=false")
class ShopWithoutContextPropagationTests {

	@Autowired
	TelemetryRecorder recorder;

	@Autowired
	ShopApplication.CheckoutService checkout;

	// The contract fails on the trace: the fulfilment's events are in another one, on the executor's thread.
	@Test
	void failsWhenTheAsyncExecutorLosesTheTrace() {
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> CheckoutContract.assertInstrumented(this.checkout, this.recorder, Duration.ofSeconds(10)))
			.withMessageContaining("Expected the 4 events matching 'shop.**' in one trace, but they are not:")
			.withMessageContaining("shop.fulfil.start (thread '" + fulfilmentThread() + "')");
	}

	private String fulfilmentThread() {
		assertThat(this.recorder).within(Duration.ofSeconds(10)).emitted("shop.fulfil.start");
		return this.recorder.events("shop.fulfil.start").get(0).thread();
	}

}
