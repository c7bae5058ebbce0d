package dev.telemetry.sample.checkout;

import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import dev.telemetry.EventName;
import dev.telemetry.TelemetryListener;

import org.springframework.stereotype.Component;

/**
 * Keeps checkout statistics from the business events: orders confirmed and declined, items sold,
 * and the domain latency ({@code processing_time} of {@code shop.checkout.completed}).
 *
 * @author telemetry-spring-boot
 */
@Component
public class CheckoutStatistics {

	private final LongAdder confirmed = new LongAdder();

	private final LongAdder failed = new LongAdder();

	private final LongAdder items = new LongAdder();

	private final LongAdder processingNanos = new LongAdder();

	@TelemetryListener(events = { "shop.checkout.completed", "shop.checkout.exception" }, id = "checkout-statistics")
	void on(EventName event, Map<String, Number> measurements, Map<String, Object> metadata) {
		if (event.equals(CheckoutService.COMPLETED)) {
			this.confirmed.increment();
			this.items.add(((Number) metadata.getOrDefault("cart_size", 0)).longValue());
			this.processingNanos.add(measurements.getOrDefault("processing_time", 0).longValue());
		}
		else {
			this.failed.increment();
		}
	}

	public long confirmed() {
		return this.confirmed.sum();
	}

	public long failed() {
		return this.failed.sum();
	}

	public long items() {
		return this.items.sum();
	}

	public long processingNanos() {
		return this.processingNanos.sum();
	}

}
