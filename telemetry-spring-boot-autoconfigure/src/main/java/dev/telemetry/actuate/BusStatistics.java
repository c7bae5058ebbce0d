package dev.telemetry.actuate;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

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

	private final Deque<HandlerDescriptor> failed = new ArrayDeque<>();

	private final Deque<HandlerDescriptor> detached = new ArrayDeque<>();

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
						&& !frame.getClassName().equals(BusStatistics.class.getName())
						&& !frame.getClassName().equals(TelemetryEventBus.class.getName()))
				.findFirst()
				.map((frame) -> "code " + frame.toStackTraceElement())
				.orElse("code"));
		this.attached.put(handlerId, new Handler(handlerId, events, source));
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
			Deque<HandlerDescriptor> history = failed ? this.failed : this.detached;
			history.addFirst(handler.describe(Instant.now()));
			if (history.size() > MAX_DETACHED_KEPT) {
				history.removeLast();
			}
		}
	}

	/** Every handler attached, in attach order, then the most recently detached, each id once. */
	synchronized List<HandlerDescriptor> handlers() {
		Map<String, HandlerDescriptor> handlers = new LinkedHashMap<>();
		this.attached.forEach((id, handler) -> handlers.put(id, handler.describe(null)));
		Stream.concat(this.failed.stream(), this.detached.stream())
			.forEach((handler) -> handlers.putIfAbsent(handler.id(), handler));
		return List.copyOf(handlers.values());
	}

	/** The names emitted, not those only known so far (a framework event known ahead). */
	private Stream<Map.Entry<EventName, Entry>> emitted() {
		return this.entries.entrySet().stream().filter((entry) -> entry.getValue().count.sum() > 0);
	}

	synchronized List<EventDescriptor> events() {
		return emitted().map((entry) -> new EventDescriptor(entry.getKey().toString(), entry.getValue().source,
					entry.getValue().count.sum(), Instant.ofEpochMilli(entry.getValue().lastSeenMillis),
					this.attached.values()
						.stream()
						.filter((handler) -> handler.receives(entry.getKey()))
						.map((handler) -> handler.id)
						.toList()))
			.sorted(Comparator.comparing(EventDescriptor::name))
			.toList();
	}

	synchronized List<SilentHandlerDescriptor> silentHandlers() {
		List<EventName> emitted = emitted().map(Map.Entry::getKey).toList();
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

		final long baseline;

		String source;

		long failures;

		@Nullable FailureDescriptor lastFailure;

		Handler(String id, List<EventName> events, String source) {
			this.id = id;
			this.events = events;
			this.source = source;
			this.baseline = received();
		}

		boolean receives(EventName event) {
			return this.events.stream().anyMatch((attached) -> attached.matches(event));
		}

		long received() {
			return BusStatistics.this.entries.entrySet()
				.stream()
				.filter((entry) -> receives(entry.getKey()))
				.mapToLong((entry) -> entry.getValue().count.sum())
				.sum();
		}

		HandlerDescriptor describe(@Nullable Instant detachedAt) {
			return new HandlerDescriptor(this.id, this.events.stream().map(EventName::toString).toList(), this.source,
					(detachedAt != null) ? "DETACHED" : "ATTACHED", received() - this.baseline, this.failures,
					this.lastFailure, this.attachedAt, detachedAt);
		}

	}

}
