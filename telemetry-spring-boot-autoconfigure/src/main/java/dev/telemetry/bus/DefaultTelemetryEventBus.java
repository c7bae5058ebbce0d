package dev.telemetry.bus;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import dev.telemetry.AttachedHandler;
import dev.telemetry.EventName;
import dev.telemetry.SpanResult;
import dev.telemetry.TelemetryEventBus;
import dev.telemetry.TelemetryHandler;
import dev.telemetry.TelemetrySpan;
import org.jspecify.annotations.Nullable;

/**
 * The default {@link TelemetryEventBus}.
 * <p>
 * Reads are optimised, writes are serialised: attach and detach build a new immutable
 * {@link DispatchTable} under a lock and publish it through a volatile field; execute reads that
 * field, looks the name up in the table's resolution cache and runs a plain loop over an array.
 * Execute takes no lock and allocates nothing when no handler matches.
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
public class DefaultTelemetryEventBus implements TelemetryEventBus, BusStatistics, AutoCloseable {

	private static final int MAX_DETACHED_KEPT = 100;

	private final Object writeLock = new Object();

	private final AtomicLong attachOrder = new AtomicLong();

	private final HandlerFailures failures;

	private final SpanEvents spans;

	private final EventCatalog catalog;

	private final Deque<HandlerRegistration> detached = new ArrayDeque<>();

	/**
	 * Handlers detached because they failed, kept apart so that ordinary detaches cannot push
	 * them out of what the endpoint shows.
	 */
	private final Deque<HandlerRegistration> failed = new ArrayDeque<>();

	private final boolean statistics;

	private volatile DispatchTable table;

	private final AtomicBoolean closed = new AtomicBoolean();

	/**
	 * A bus with the defaults of {@link #builder()}: failing handlers are detached, as
	 * {@code :telemetry} does, and no trace span is recorded.
	 */
	public DefaultTelemetryEventBus() {
		this(builder());
	}

	private DefaultTelemetryEventBus(Builder builder) {
		this.failures = new HandlerFailures(builder.failurePolicy, builder.failureLogInterval);
		this.spans = new SpanEvents(this, builder.traceSpans);
		this.catalog = new EventCatalog(builder.maxEvents);
		this.statistics = builder.statistics;
		this.table = DispatchTable.empty(Math.max(builder.maxEvents, 1024), this.catalog);
		CoarseClock.retain();
	}

	/**
	 * Let go of the shared clock thread, which stops when no bus uses it. The bus still works
	 * after closing, reading the system clock instead. A Spring context closes its bus when it
	 * closes.
	 */
	@Override
	public void close() {
		if (this.closed.compareAndSet(false, true)) {
			CoarseClock.release();
		}
	}

	/**
	 * A builder of buses.
	 * @return a builder with the defaults
	 */
	public static Builder builder() {
		return new Builder();
	}

	@Override
	public void execute(EventName event, Map<String, ? extends Number> measurements, Map<String, ?> metadata) {
		DispatchTable.requireConcrete(event);
		HandlerRegistration[] handlers = handlersOf(event);
		if (handlers.length > 0) {
			dispatch(event, handlers, measurements, metadata);
		}
	}

	@Override
	public void execute(String event, Map<String, ? extends Number> measurements, Map<String, ?> metadata) {
		DispatchTable.Route route = counted(this.table.route(event));
		if (route.handlers().length > 0) {
			dispatch(route.event(), route.handlers(), measurements, metadata);
		}
	}

	/**
	 * The handlers of an event that is being emitted now, recorded in the catalog.
	 */
	HandlerRegistration[] handlersOf(EventName event) {
		return counted(this.table.route(event)).handlers();
	}

	/**
	 * Count the emission of a route's name in the catalog, unless statistics are off.
	 */
	private DispatchTable.Route counted(DispatchTable.Route route) {
		if (this.statistics) {
			route.entry().record();
		}
		return route;
	}

	void dispatch(EventName event, HandlerRegistration[] handlers, Map<String, ? extends Number> measurements,
			Map<String, ?> metadata) {
		Map<String, Number> measurementsView = ReadOnlyMaps.view(measurements);
		Map<String, Object> metadataView = ReadOnlyMaps.view(metadata);
		for (HandlerRegistration registration : handlers) {
			if (!registration.attached) {
				continue;
			}
			try {
				registration.handler.handleEvent(event, measurementsView, metadataView, registration.config);
			}
			catch (OutOfMemoryError ex) {
				throw ex;
			}
			catch (Throwable ex) {
				handleFailure(registration, event, ex);
			}
		}
	}

	private void handleFailure(HandlerRegistration registration, EventName event, Throwable failure) {
		registration.recordFailure(failure);
		if (this.failures.policy() == HandlerFailurePolicy.DETACH) {
			if (!detach(registration, true)) {
				return;
			}
			this.failures.logDetached(registration, event, failure);
		}
		else {
			this.failures.logKept(registration, event, failure);
		}
		// A failure while handling a failure event is not reported as an event: under KEEP that
		// would loop forever.
		if (!event.equals(HandlerFailures.FAILURE_EVENT)) {
			execute(HandlerFailures.FAILURE_EVENT, HandlerFailures.measurements(),
					HandlerFailures.metadata(registration, event, failure));
		}
	}

	@Override
	public void attach(String handlerId, EventName event, TelemetryHandler handler, @Nullable Object config) {
		attachMany(handlerId, List.of(event), handler, config);
	}

	@Override
	public void attachMany(String handlerId, Collection<EventName> events, TelemetryHandler handler,
			@Nullable Object config) {
		attachMany(handlerId, events, handler, config, AttachSource.caller());
	}

	/**
	 * Attach a handler, saying where it comes from for {@link #handlers()}.
	 * @param handlerId an id unique on this bus
	 * @param events one or more names or patterns
	 * @param handler the handler
	 * @param config a value passed back to the handler on every call
	 * @param source where the handler comes from, e.g. {@code bean 'stats' method onStop}
	 * @see #attachMany(String, Collection, TelemetryHandler, Object)
	 */
	public void attachMany(String handlerId, Collection<EventName> events, TelemetryHandler handler,
			@Nullable Object config, String source) {
		if (events.isEmpty()) {
			throw new IllegalArgumentException("Handler '" + handlerId + "' must be attached to at least one event");
		}
		List<EventName> distinct = List.copyOf(new LinkedHashSet<>(events));
		synchronized (this.writeLock) {
			if (this.table.get(handlerId) != null) {
				throw new IllegalStateException("A telemetry handler with id '" + handlerId
						+ "' is already attached to " + this.table.get(handlerId).events);
			}
			HandlerRegistration registration = new HandlerRegistration(handlerId, distinct, handler, config,
					this.attachOrder.incrementAndGet(), source);
			registration.takeBaseline(this.catalog);
			this.table = this.table.with(registration);
		}
	}

	@Override
	public boolean detach(String handlerId) {
		synchronized (this.writeLock) {
			HandlerRegistration registration = this.table.get(handlerId);
			return registration != null && detach(registration, false);
		}
	}

	/**
	 * Detach exactly this registration, not a newer one attached later under the same id.
	 * @return whether this call detached it
	 */
	private boolean detach(HandlerRegistration registration, boolean failed) {
		synchronized (this.writeLock) {
			if (this.table.get(registration.id) != registration) {
				return false;
			}
			registration.attached = false;
			registration.freezeInvocations(this.catalog);
			registration.detachedAt = Instant.now();
			this.table = this.table.without(registration.id);
			Deque<HandlerRegistration> history = failed ? this.failed : this.detached;
			history.addFirst(registration);
			if (history.size() > MAX_DETACHED_KEPT) {
				history.removeLast();
			}
			return true;
		}
	}

	@Override
	public List<AttachedHandler> listHandlers() {
		List<AttachedHandler> rows = new ArrayList<>();
		for (HandlerRegistration registration : this.table.byId.values()) {
			for (EventName event : registration.events) {
				rows.add(new AttachedHandler(registration.id, event, registration.handler, registration.config));
			}
		}
		return Collections.unmodifiableList(rows);
	}

	@Override
	public List<AttachedHandler> listHandlers(EventName prefix) {
		List<AttachedHandler> rows = new ArrayList<>();
		for (AttachedHandler row : listHandlers()) {
			if (row.eventName().startsWith(prefix)) {
				rows.add(row);
			}
		}
		return Collections.unmodifiableList(rows);
	}

	@Override
	public <T> T span(EventName prefix, Map<String, ?> startMetadata, Supplier<T> body) {
		SpanEvents.Span span = this.spans.start(prefix, startMetadata, true);
		T result;
		try (TelemetrySpan.Scope scope = span.makeCurrent()) {
			result = body.get();
		}
		catch (Throwable ex) {
			// Throwable, not RuntimeException: a checked exception thrown sneakily must end the span too.
			span.exceptionOwned(ex);
			throw ex;
		}
		span.stopOwned(Map.of(), Map.of());
		return result;
	}

	@Override
	public <T> T spanWithStop(EventName prefix, Map<String, ?> startMetadata, Supplier<SpanResult<T>> body) {
		SpanEvents.Span span = this.spans.start(prefix, startMetadata, true);
		SpanResult<T> result;
		try (TelemetrySpan.Scope scope = span.makeCurrent()) {
			result = body.get();
		}
		catch (Throwable ex) {
			span.exceptionOwned(ex);
			throw ex;
		}
		span.stopOwned(result.measurements(), result.stopMetadata());
		return result.result();
	}

	@Override
	public TelemetrySpan startSpan(EventName prefix, Map<String, ?> startMetadata, boolean traced) {
		return this.spans.start(prefix, startMetadata, traced);
	}

	@Override
	public List<Handler> handlers() {
		List<Handler> handlers = new ArrayList<>();
		DispatchTable table = this.table;
		table.byId.values().forEach((registration) -> handlers.add(registration.statistics(this.catalog)));
		Set<String> listed = new HashSet<>(table.byId.keySet());
		synchronized (this.writeLock) {
			for (Deque<HandlerRegistration> history : List.of(this.failed, this.detached)) {
				for (HandlerRegistration registration : history) {
					if (listed.add(registration.id)) {
						handlers.add(registration.statistics(this.catalog));
					}
				}
			}
		}
		return handlers;
	}

	@Override
	public List<Event> events() {
		List<Event> events = new ArrayList<>();
		for (EventCatalog.Entry entry : this.catalog.entries()) {
			events.add(new Event(entry.event, entry.count.sum(), Instant.ofEpochMilli(entry.lastSeenMillis)));
		}
		events.sort(Comparator.comparing((event) -> event.name().toString()));
		return events;
	}

	@Override
	public long overflowEvents() {
		return this.catalog.overflowCount();
	}

	@Override
	public int maxEvents() {
		return this.catalog.maxEvents();
	}

	@Override
	public List<String> handlerIds(EventName event) {
		List<String> ids = new ArrayList<>();
		for (HandlerRegistration registration : this.table.route(event).handlers()) {
			ids.add(registration.id);
		}
		return ids;
	}

	/**
	 * Builds a {@link DefaultTelemetryEventBus}.
	 */
	public static final class Builder {

		private HandlerFailurePolicy failurePolicy = HandlerFailurePolicy.DETACH;

		private Duration failureLogInterval = Duration.ofMinutes(1);

		private int maxEvents = 1000;

		private TraceSpans traceSpans = TraceSpans.NONE;

		private boolean statistics = true;

		private Builder() {
		}

		/**
		 * Whether to count emissions per event name and calls per handler for
		 * {@link BusStatistics}; on by default.
		 * @param statistics whether to count
		 * @return this builder
		 */
		public Builder statistics(boolean statistics) {
			this.statistics = statistics;
			return this;
		}

		/**
		 * What to do with a handler that throws; {@link HandlerFailurePolicy#DETACH} by default.
		 * @param failurePolicy the policy
		 * @return this builder
		 */
		public Builder failurePolicy(HandlerFailurePolicy failurePolicy) {
			this.failurePolicy = failurePolicy;
			return this;
		}

		/**
		 * Under {@link HandlerFailurePolicy#KEEP}, the least time between two warnings about the
		 * same handler; a minute by default.
		 * @param failureLogInterval the interval
		 * @return this builder
		 */
		public Builder failureLogInterval(Duration failureLogInterval) {
			this.failureLogInterval = failureLogInterval;
			return this;
		}

		/**
		 * How many distinct event names the catalog keeps; 1000 by default.
		 * @param maxEvents the bound
		 * @return this builder
		 */
		public Builder maxEvents(int maxEvents) {
			this.maxEvents = maxEvents;
			return this;
		}

		/**
		 * What records the trace spans of spans; nothing by default.
		 * @param traceSpans the recorder
		 * @return this builder
		 */
		public Builder traceSpans(TraceSpans traceSpans) {
			this.traceSpans = traceSpans;
			return this;
		}

		/**
		 * Build the bus.
		 * @return a new bus
		 */
		public DefaultTelemetryEventBus build() {
			return new DefaultTelemetryEventBus(this);
		}

	}

}
