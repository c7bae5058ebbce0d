package dev.telemetry.sample.checkout;

import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import dev.telemetry.EventName;
import dev.telemetry.TelemetryListener;

import org.springframework.stereotype.Component;

/**
 * Keeps checkout statistics from the {@code shop.checkout} span events.
 *
 * @author telemetry-spring-boot
 */
@Component
public class CheckoutStatistics {

	private final LongAdder completed = new LongAdder();

	private final LongAdder items = new LongAdder();

	@TelemetryListener(events = "shop.checkout.stop", id = "checkout-statistics")
	void onCheckout(EventName event, Map<String, Number> measurements, Map<String, Object> metadata) {
		this.completed.increment();
		this.items.add(measurements.getOrDefault("items", 0).longValue());
	}

	public long completed() {
		return this.completed.sum();
	}

	public long items() {
		return this.items.sum();
	}

}
