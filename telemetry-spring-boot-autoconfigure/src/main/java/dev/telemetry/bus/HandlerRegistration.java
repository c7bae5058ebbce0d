package dev.telemetry.bus;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

	final String source;

	final Instant attachedAt = Instant.now();

	/**
	 * Emissions of each catalogued name this handler receives, when it was attached: its
	 * invocations are the emissions since, so dispatch needs no counter per handler call.
	 */
	volatile Map<EventName, Long> baseline = Map.of();

	volatile long invocationsAtDetach = -1;

	final LongAdder failures = new LongAdder();

	volatile BusStatistics.@Nullable Failure lastFailure;

	volatile @Nullable Instant detachedAt;

	final AtomicLong nextWarnNanos = new AtomicLong(Long.MIN_VALUE);

	final LongAdder suppressedWarnings = new LongAdder();

	/**
	 * Cleared on detach, so that a dispatch that read an older table skips the handler.
	 */
	volatile boolean attached = true;

	HandlerRegistration(String id, List<EventName> events, TelemetryHandler handler, @Nullable Object config,
			long order, String source) {
		this.id = id;
		this.source = source;
		this.events = events;
		this.handler = handler;
		this.config = config;
		this.order = order;
	}

	void recordFailure(Throwable failure) {
		this.failures.increment();
		String reason = (failure.getMessage() != null) ? failure.getMessage() : "";
		this.lastFailure = new BusStatistics.Failure(Instant.now(), failure.getClass().getName(),
				(reason.length() <= 200) ? reason : reason.substring(0, 200) + "...");
	}

	void takeBaseline(EventCatalog catalog) {
		Map<EventName, Long> baseline = new HashMap<>();
		for (EventCatalog.Entry entry : catalog.entries()) {
			if (receives(entry.event)) {
				baseline.put(entry.event, entry.count.sum());
			}
		}
		this.baseline = baseline;
	}

	long invocations(EventCatalog catalog) {
		// The baseline before the frozen count: freezeInvocations writes them in the other order.
		Map<EventName, Long> baseline = this.baseline;
		long frozen = this.invocationsAtDetach;
		if (frozen >= 0) {
			return frozen;
		}
		long invocations = 0;
		for (EventCatalog.Entry entry : catalog.entries()) {
			if (receives(entry.event)) {
				invocations += entry.count.sum() - baseline.getOrDefault(entry.event, 0L);
			}
		}
		return invocations;
	}

	/**
	 * Fix the invocations at detach and drop the baseline they were counted from: the bus keeps
	 * detached registrations for the endpoint, and the baseline of a handler attached by pattern
	 * has an entry for every catalogued name it receives.
	 */
	void freezeInvocations(EventCatalog catalog) {
		this.invocationsAtDetach = invocations(catalog);
		this.baseline = Map.of();
	}

	private boolean receives(@Nullable EventName event) {
		if (event == null) {
			return false;
		}
		for (EventName attached : this.events) {
			if (attached.matches(event)) {
				return true;
			}
		}
		return false;
	}

	BusStatistics.Handler statistics(EventCatalog catalog) {
		return new BusStatistics.Handler(this.id, this.events, this.source, this.detachedAt == null,
				invocations(catalog), this.failures.sum(), this.lastFailure, this.attachedAt, this.detachedAt);
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
