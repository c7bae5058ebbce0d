package dev.telemetry.benchmarks;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import dev.telemetry.EventName;
import dev.telemetry.TelemetryEventBus;
import dev.telemetry.TelemetrySpan;

/**
 * Sends a bus what a careless application or a hostile input would. For each index: a new event
 * name; a new value of a metric tag; a span whose attribute values are 1,000 characters long and
 * never repeat, with one of 10,000 metadata keys, every tenth under a new span name and one in a
 * hundred failing. Every twentieth index, a handler attached by pattern under a new id, then
 * detached, or, one time in ten, failing so that the bus detaches it. Anything the bus kept per
 * name, value or id would grow with every index.
 */
final class Flood {

	static final EventName ORDER_PLACED = EventName.parse("flood.order.placed");

	static final EventName CHECKOUT = EventName.parse("flood.checkout");

	static final EventName CHURN = EventName.parse("flood.churn.ping");

	static final EventName ALL = EventName.parse("flood.**");

	private static final Map<String, Long> ONE = Map.of("count", 1L);

	private static final String PADDING = "-".repeat(1000);

	private final TelemetryEventBus bus;

	private final LongAdder handled = new LongAdder();

	private final LongAdder failures = new LongAdder();

	Flood(TelemetryEventBus bus) {
		this.bus = bus;
		bus.attach("flood-all", ALL, (event, measurements, metadata, config) -> this.handled.increment(), null);
		bus.attach("flood-names", EventName.parse("flood.*"),
				(event, measurements, metadata, config) -> this.handled.increment(), null);
		bus.attach("flood-failures", EventName.parse(TelemetryEventBus.HANDLER_FAILURE_EVENT),
				(event, measurements, metadata, config) -> this.failures.increment(), null);
	}

	/**
	 * Flood with the indexes {@code [from, to)}.
	 */
	void run(long from, long to) {
		for (long i = from; i < to; i++) {
			one(i);
		}
	}

	private void one(long i) {
		// A new name each time, through both forms of execute and so both route caches.
		if ((i & 1) == 0) {
			this.bus.execute("flood.name" + i, ONE, Map.of());
		}
		else {
			this.bus.execute(EventName.of("flood", "name" + i), ONE, Map.of());
		}
		// A new value of the tag of the flood.orders counter.
		this.bus.execute(ORDER_PLACED, ONE, Map.of("customer", "customer-" + i));
		span(i);
		if (i % 20 == 0) {
			churn(i);
		}
	}

	private void span(long i) {
		Map<String, Object> metadata = new HashMap<>();
		metadata.put("order_id", i + PADDING);
		metadata.put("note_" + (i % 10_000), "x");
		EventName prefix = (i % 10 == 0) ? EventName.of("flood", "job" + i) : CHECKOUT;
		if ((i & 1) == 0) {
			this.bus.span(prefix, metadata, () -> i);
			return;
		}
		TelemetrySpan span = this.bus.startSpan(prefix, metadata, true);
		if (i % 100 == 1) {
			span.exception(new IllegalStateException("declined " + i + PADDING));
		}
		else {
			span.stop(Map.of("items", 3), Map.of("receipt", PADDING + i));
		}
	}

	private void churn(long i) {
		String id = "flood-handler-" + i;
		boolean fail = i % 200 == 0;
		this.bus.attach(id, ALL, (event, measurements, metadata, config) -> {
			if (fail) {
				throw new IllegalStateException("handler " + id + " failed on " + event);
			}
		}, "config-" + i);
		this.bus.execute(CHURN, ONE, Map.of("handler", id));
		if (!fail) {
			this.bus.detach(id);
		}
	}

	long handled() {
		return this.handled.sum();
	}

	long failures() {
		return this.failures.sum();
	}

}
