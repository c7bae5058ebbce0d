package dev.telemetry.actuate;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.telemetry.EventName;
import dev.telemetry.TelemetryEventBus;
import dev.telemetry.actuate.TelemetryDescriptor.EventDescriptor;
import dev.telemetry.actuate.TelemetryDescriptor.FailureDescriptor;
import dev.telemetry.actuate.TelemetryDescriptor.HandlerDescriptor;
import dev.telemetry.actuate.TelemetryDescriptor.SilentHandlerDescriptor;
import dev.telemetry.bus.BusRecorder;
import dev.telemetry.bus.TextLimit;
import org.jspecify.annotations.Nullable;

/**
 * What the bus has done since start, for the {@link TelemetryEndpoint}: the names emitted, and each
 * handler with its source and counters. A handler's invocations are the emissions since its attach
 * of the names it receives, so that dispatch has no counter per handler.
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
public final class BusStatistics extends EventCatalog {

	private static final int MAX_DETACHED_KEPT = 100;

	/** Guarded by {@code this}, as are the detached handlers, those that failed kept apart. */
	private final Map<String, Handler> attached = new LinkedHashMap<>();

	private final Deque<Handler> failed = new ArrayDeque<>();

	private final Deque<Handler> detached = new ArrayDeque<>();

	/**
	 * Create statistics.
	 * @param maxEvents how many distinct names to keep ({@code telemetry.endpoint.max-events})
	 */
	public BusStatistics(int maxEvents) {
		super(maxEvents);
	}

	@Override
	public synchronized void attached(String handlerId, List<EventName> events) {
		// The code that attached the handler: the first frame outside the bus and this class.
		String source = StackWalker.getInstance()
			.walk((frames) -> frames
				.filter((frame) -> !frame.getClassName().startsWith(BusRecorder.class.getPackageName() + ".")
						&& !frame.getClassName().equals(BusStatistics.class.getName()))
				.findFirst()
				.map((frame) -> "code " + frame.toStackTraceElement())
				.orElse("code"));
		Handler handler = new Handler(handlerId, events, source);
		handler.baseline = handler.received();
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
			handler.failures++;
			handler.lastFailure = new FailureDescriptor(Instant.now(), failure.getClass().getName(),
					TextLimit.FAILURE_REASON.cut((failure.getMessage() != null) ? failure.getMessage() : ""));
		}
	}

	@Override
	public synchronized void detached(String handlerId, boolean failed) {
		Handler handler = this.attached.remove(handlerId);
		if (handler != null) {
			handler.invocationsAtDetach = handler.invocations();
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

	/** The names emitted, not those only counted so far (a framework event known ahead). */
	synchronized List<EventDescriptor> events() {
		return this.entries.values()
			.stream()
			.filter((entry) -> entry.count.sum() > 0)
			.map((entry) -> new EventDescriptor(entry.name.toString(), entry.source, entry.count.sum(),
					Instant.ofEpochMilli(entry.lastSeenMillis), this.attached.values()
						.stream()
						.filter((handler) -> handler.receives(entry.name))
						.map((handler) -> handler.id)
						.toList()))
			.sorted(Comparator.comparing(EventDescriptor::name))
			.toList();
	}

	synchronized List<SilentHandlerDescriptor> silentHandlers() {
		List<EventName> emitted = List.copyOf(this.entries.keySet());
		return this.attached.values()
			.stream()
			.flatMap((handler) -> handler.events.stream()
				.filter((event) -> !event.toString().equals(TelemetryEventBus.HANDLER_FAILURE_EVENT)
						&& emitted.stream().noneMatch(event::matches))
				.map((event) -> new SilentHandlerDescriptor(handler.id, event.toString(),
						event.nearMisses(emitted).stream().map(EventName::toString).toList())))
			.toList();
	}

	private final class Handler {

		final String id;

		final List<EventName> events;

		final Instant attachedAt = Instant.now();

		String source;

		long baseline;

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

		long received() {
			return BusStatistics.this.entries.values()
				.stream()
				.filter((entry) -> receives(entry.name))
				.mapToLong((entry) -> entry.count.sum())
				.sum();
		}

		long invocations() {
			return (this.invocationsAtDetach >= 0) ? this.invocationsAtDetach : received() - this.baseline;
		}

		HandlerDescriptor describe() {
			return new HandlerDescriptor(this.id, this.events.stream().map(EventName::toString).toList(), this.source,
					(this.detachedAt != null) ? "DETACHED" : "ATTACHED", invocations(), this.failures, this.lastFailure,
					this.attachedAt, this.detachedAt);
		}

	}

}
