package dev.telemetry.bus;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import dev.telemetry.EventName;
import dev.telemetry.TelemetryHandler;
import org.jspecify.annotations.Nullable;

/**
 * One handler attached under one id, to one or more events, with its run-time counters.
 *
 * @author telemetry-spring-boot
 */
final class HandlerRegistration {

	final String id;

	final List<EventName> events;

	final TelemetryHandler handler;

	final @Nullable Object config;

	/**
	 * Attach order across the bus: handlers of one event run in ascending order.
	 */
	final long order;

	final LongAdder failures = new LongAdder();

	final AtomicLong nextWarnNanos = new AtomicLong(Long.MIN_VALUE);

	final LongAdder suppressedWarnings = new LongAdder();

	/**
	 * Cleared on detach, so that a dispatch that read an older table skips the handler.
	 */
	volatile boolean attached = true;

	HandlerRegistration(String id, List<EventName> events, TelemetryHandler handler, @Nullable Object config,
			long order) {
		this.id = id;
		this.events = events;
		this.handler = handler;
		this.config = config;
		this.order = order;
	}

	/**
	 * Whether a warning may be logged now, at most one per {@code intervalNanos}.
	 */
	boolean tryAcquireWarning(long nowNanos, long intervalNanos) {
		long next = this.nextWarnNanos.get();
		if (next != Long.MIN_VALUE && nowNanos - next < 0) {
			this.suppressedWarnings.increment();
			return false;
		}
		return this.nextWarnNanos.compareAndSet(next, nowNanos + intervalNanos);
	}

}
