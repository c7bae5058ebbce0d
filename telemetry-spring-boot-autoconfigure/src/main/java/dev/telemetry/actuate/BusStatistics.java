package dev.telemetry.actuate;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.telemetry.EventName;
import dev.telemetry.TelemetryEventBus;
import dev.telemetry.actuate.TelemetryDescriptor.EventCatalogDescriptor;
import dev.telemetry.actuate.TelemetryDescriptor.EventDescriptor;
import dev.telemetry.actuate.TelemetryDescriptor.FailureDescriptor;
import dev.telemetry.actuate.TelemetryDescriptor.HandlerDescriptor;
import dev.telemetry.actuate.TelemetryDescriptor.SilentHandlerDescriptor;
import dev.telemetry.bus.BusRecorder;
import dev.telemetry.bus.TextLimit;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * What the bus has done since start, for the {@link TelemetryEndpoint}: each handler with its
 * source and counters, and the {@link EventCatalog} of names emitted, whose clock runs with the
 * context. A handler's invocations are the emissions since its attach of the names it receives, so
 * that dispatch has no counter per handler.
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
public final class BusStatistics implements BusRecorder, SmartLifecycle {

	private static final int MAX_DETACHED_KEPT = 100;

	private static final StackWalker STACK = StackWalker.getInstance();

	private final EventCatalog catalog;

	/** Guarded by {@code this}, as are the detached handlers, those that failed kept apart. */
	private final Map<String, Handler> attached = new LinkedHashMap<>();

	private final Deque<Handler> failed = new ArrayDeque<>();

	private final Deque<Handler> detached = new ArrayDeque<>();

	/**
	 * Create statistics.
	 * @param maxEvents how many distinct names to keep ({@code telemetry.endpoint.max-events})
	 */
	public BusStatistics(int maxEvents) {
		this.catalog = new EventCatalog(maxEvents);
	}

	@Override
	public Counter counter(EventName event) {
		return this.catalog.counter(event, null);
	}

	@Override
	public Counter counter(EventName event, String source) {
		return this.catalog.counter(event, source);
	}

	@Override
	public synchronized void attached(String handlerId, List<EventName> events) {
		String source = STACK.walk((frames) -> frames
			.filter((frame) -> !frame.getClassName().startsWith(BusRecorder.class.getPackageName() + ".")
					&& !frame.getClassName().equals(BusStatistics.class.getName()))
			.findFirst()
			.map((frame) -> "code " + frame.toStackTraceElement())
			.orElse("code"));
		Handler handler = new Handler(handlerId, events, source);
		this.catalog.entries().forEach((entry) -> {
			if (handler.receives(entry.name)) {
				handler.baseline.put(entry.name, entry.count.sum());
			}
		});
		this.attached.put(handlerId, handler);
	}

	@Override
	public synchronized void describe(String handlerId, String source) {
		Handler handler = this.attached.get(handlerId);
		if (handler != null) {
			handler.source = source;
		}
	}

	@Override
	public synchronized void failed(String handlerId, Throwable failure) {
		Handler handler = this.attached.get(handlerId);
		if (handler != null) {
			String reason = (failure.getMessage() != null) ? failure.getMessage() : "";
			handler.failures++;
			handler.lastFailure = new FailureDescriptor(Instant.now(), failure.getClass().getName(),
					TextLimit.FAILURE_REASON.cut(reason));
		}
	}

	@Override
	public synchronized void detached(String handlerId, boolean failed) {
		Handler handler = this.attached.remove(handlerId);
		if (handler != null) {
			// Fixed now, and the baseline let go: it has an entry per name a pattern receives.
			handler.invocationsAtDetach = handler.invocations();
			handler.baseline.clear();
			handler.detachedAt = Instant.now();
			Deque<Handler> history = failed ? this.failed : this.detached;
			history.addFirst(handler);
			if (history.size() > MAX_DETACHED_KEPT) {
				history.removeLast();
			}
		}
	}

	/** Every handler attached, in attach order, then the most recently detached, each id once. */
	synchronized List<HandlerDescriptor> handlers() {
		Map<String, HandlerDescriptor> handlers = new LinkedHashMap<>();
		for (Iterable<Handler> group : List.of(this.attached.values(), this.failed, this.detached)) {
			group.forEach((handler) -> handlers.computeIfAbsent(handler.id, (id) -> handler.describe()));
		}
		return List.copyOf(handlers.values());
	}

	synchronized List<EventDescriptor> events() {
		List<EventDescriptor> events = new ArrayList<>();
		// A name counted but not yet emitted (a framework event known ahead) is not listed.
		this.catalog.entries()
			.stream()
			.filter((entry) -> entry.count.sum() > 0)
			.forEach((entry) -> events.add(new EventDescriptor(entry.name.toString(), entry.source,
					entry.count.sum(), Instant.ofEpochMilli(entry.lastSeenMillis), this.attached.values()
						.stream()
						.filter((handler) -> handler.receives(entry.name))
						.map((handler) -> handler.id)
						.toList())));
		events.sort(Comparator.comparing(EventDescriptor::name));
		return events;
	}

	synchronized List<SilentHandlerDescriptor> silentHandlers() {
		List<EventName> emitted = this.catalog.entries().stream().map((entry) -> entry.name).toList();
		List<SilentHandlerDescriptor> silent = new ArrayList<>();
		for (Handler handler : this.attached.values()) {
			for (EventName event : handler.events) {
				if (!event.toString().equals(TelemetryEventBus.HANDLER_FAILURE_EVENT)
						&& emitted.stream().noneMatch(event::matches)) {
					silent.add(new SilentHandlerDescriptor(handler.id, event.toString(),
							event.nearMisses(emitted).stream().map(EventName::toString).toList()));
				}
			}
		}
		return silent;
	}

	EventCatalogDescriptor catalog() {
		return this.catalog.describe();
	}

	@Override
	public void start() {
		this.catalog.start();
	}

	@Override
	public void stop() {
		this.catalog.stop();
	}

	@Override
	public boolean isRunning() {
		return this.catalog.isRunning();
	}

	/** A handler and its counters, with the emissions of each name it receives when it was attached. */
	private final class Handler {

		final String id;

		final List<EventName> events;

		String source;

		final Instant attachedAt = Instant.now();

		final Map<EventName, Long> baseline = new HashMap<>();

		long invocationsAtDetach = -1;

		long failures;

		@Nullable FailureDescriptor lastFailure;

		@Nullable Instant detachedAt;

		Handler(String id, List<EventName> events, String source) {
			this.id = id;
			this.events = events;
			this.source = source;
		}

		boolean receives(EventName event) {
			return this.events.stream().anyMatch((attached) -> attached.matches(event));
		}

		long invocations() {
			if (this.invocationsAtDetach >= 0) {
				return this.invocationsAtDetach;
			}
			return BusStatistics.this.catalog.entries()
				.stream()
				.filter((entry) -> receives(entry.name))
				.mapToLong((entry) -> entry.count.sum() - this.baseline.getOrDefault(entry.name, 0L))
				.sum();
		}

		HandlerDescriptor describe() {
			return new HandlerDescriptor(this.id, this.events.stream().map(EventName::toString).toList(), this.source,
					(this.detachedAt != null) ? "DETACHED" : "ATTACHED", invocations(), this.failures, this.lastFailure,
					this.attachedAt, this.detachedAt);
		}

	}

}
