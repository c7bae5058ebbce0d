package dev.telemetry.test.shop;

import java.time.Duration;

import dev.telemetry.test.TelemetryRecorder;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static dev.telemetry.test.TelemetryAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The kit in a {@code @SpringBootTest} that sets no property: the recorder bean sees the
 * checkout's events and spans over real HTTP and an {@code @Async} task, and the same contract
 * fails, saying why, on each regression.
 */
@SpringBootTest(classes = ShopApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ShopApplicationTests {

	private static final Duration PATIENCE = Duration.ofSeconds(10);

	private static final Duration SHORT = Duration.ofMillis(500);

	@Autowired
	TelemetryRecorder recorder;

	@Autowired
	ShopApplication.CheckoutService checkout;

	@Autowired
	ShopApplication.UnannotatedCheckoutService unannotated;

	@Autowired
	ShopApplication.RenamedKeyCheckoutService renamedKey;

	// The checkout keeps its contract: events, measurements, metadata, one unbroken trace.
	@Test
	void checkoutKeepsItsContract() {
		CheckoutContract.assertInstrumented(this.checkout, this.recorder, PATIENCE);
	}

	// Each test method starts with an empty recorder, whatever ran before.
	@Test
	void eachTestStartsEmpty() {
		assertThat(this.recorder).notEmitted("shop.**");
	}

	// Without the annotation, the contract fails saying which events were emitted instead.
	@Test
	void failsWhenTheAnnotationIsRemoved() {
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> CheckoutContract.assertInstrumented(this.unannotated, this.recorder, SHORT))
			.withMessageContaining("Expected an event named 'shop.checkout.stop', but none was emitted.")
			.withMessageContaining("http.client.requests.stop: 1")
			.withMessageContaining("http.server.requests.start: 1");
		awaitFulfilment();
	}

	// With a renamed metadata key, the contract fails naming the missing key and the keys there are.
	@Test
	void failsWhenAMetadataKeyIsRenamed() {
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> CheckoutContract.assertInstrumented(this.renamedKey, this.recorder, SHORT))
			.withMessageContaining("to have metadata customer_id=c-42, but 1 of 1 did not")
			.withMessageContaining("it has no key 'customer_id'; its metadata keys are [customer, ");
		awaitFulfilment();
	}

	// A misspelt event name fails with the name it almost is.
	@Test
	void suggestsTheNameOfAMisspeltEvent() {
		CheckoutContract.assertInstrumented(this.checkout, this.recorder, PATIENCE);
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(this.recorder).emitted("shop.chekout.stop"))
			.withMessageContaining("Did you mean 'shop.checkout.stop'?");
	}

	/**
	 * The @Async task of a failed contract ends after the failure: wait for it, so that the next
	 * test does not record it.
	 */
	private void awaitFulfilment() {
		assertThat(this.recorder).within(PATIENCE).emitted("shop.fulfil.stop");
	}

}
