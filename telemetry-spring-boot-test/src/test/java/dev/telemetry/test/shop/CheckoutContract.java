package dev.telemetry.test.shop;

import java.time.Duration;

import dev.telemetry.test.TelemetryRecorder;

import static dev.telemetry.test.TelemetryAssertions.assertThat;

/**
 * What the checkout's instrumentation promises, written only against the test kit's contract, as
 * a user would write it.
 */
final class CheckoutContract {

	private CheckoutContract() {
	}

	static void assertInstrumented(ShopApplication.Checkout checkout, TelemetryRecorder recorder, Duration patience) {
		checkout.checkout("c-42", "book");
		assertThat(recorder).within(patience)
			.emitted("shop.checkout.stop")
			.once()
			.withMeasurement("duration")
			.withMeasurement("in_stock")
			.withMetadata("customer_id", "c-42");
		assertThat(recorder).within(patience).emitted("shop.fulfil.stop").once().withMetadata("sku", "book");
		assertThat(recorder).emitted("shop.**").allInOneTrace();
		String traceId = recorder.events("shop.checkout.stop").get(0).traceId();
		assertThat(recorder).within(patience)
			.trace(traceId)
			.containsSpans("shop.checkout", "http get", "http get /stock/{sku}", "shop.fulfil")
			.isUnbroken();
	}

}
