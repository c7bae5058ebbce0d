package dev.telemetry.bus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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
public class DefaultTelemetryEventBus implements TelemetryEventBus {

	/**
	 * How many concrete names each table caches by default.
	 */
	public static final int DEFAULT_MAX_CACHED_NAMES = 10_000;

	private final Object writeLock = new Object();

	private final AtomicLong attachOrder = new AtomicLong();

	private final HandlerFailures failures;

	private final SpanEvents spans;

	private volatile DispatchTable table;

	/**
	 * A bus that detaches failing handlers, as {@code :telemetry} does.
	 */
	public DefaultTelemetryEventBus() {
		this(HandlerFailurePolicy.DETACH, Duration.ofMinutes(1), DEFAULT_MAX_CACHED_NAMES, TraceSpans.NONE);
	}

	/**
	 * A bus with the given failure policy.
	 * @param failurePolicy what to do with a handler that throws
	 * @param failureLogInterval under {@link HandlerFailurePolicy#KEEP}, the least time between
	 * two warnings about the same handler
	 * @param maxCachedNames how many concrete event names to cache the resolution of
	 * @param traceSpans records the trace spans of spans
	 */
	public DefaultTelemetryEventBus(HandlerFailurePolicy failurePolicy, Duration failureLogInterval,
			int maxCachedNames, TraceSpans traceSpans) {
		this.failures = new HandlerFailures(failurePolicy, failureLogInterval);
		this.spans = new SpanEvents(this, traceSpans);
		this.table = DispatchTable.empty(maxCachedNames);
	}

	@Override
	public void execute(EventName event, Map<String, ? extends Number> measurements, Map<String, ?> metadata) {
		DispatchTable.requireConcrete(event);
		HandlerRegistration[] handlers = this.table.resolve(event);
		if (handlers.length > 0) {
			dispatch(event, handlers, measurements, metadata);
		}
	}

	@Override
	public void execute(String event, Map<String, ? extends Number> measurements, Map<String, ?> metadata) {
		DispatchTable.ResolvedName resolved = this.table.resolve(event);
		if (resolved.handlers().length > 0) {
			dispatch(resolved.event(), resolved.handlers(), measurements, metadata);
		}
	}

	HandlerRegistration[] handlersOf(EventName event) {
		return this.table.resolve(event);
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
		registration.failures.increment();
		if (this.failures.policy() == HandlerFailurePolicy.DETACH) {
			if (!detach(registration)) {
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
					this.attachOrder.incrementAndGet());
			this.table = this.table.with(registration);
		}
	}

	@Override
	public boolean detach(String handlerId) {
		synchronized (this.writeLock) {
			HandlerRegistration registration = this.table.get(handlerId);
			return registration != null && detach(registration);
		}
	}

	/**
	 * Detach exactly this registration, not a newer one attached later under the same id.
	 * @return whether this call detached it
	 */
	private boolean detach(HandlerRegistration registration) {
		synchronized (this.writeLock) {
			if (this.table.get(registration.id) != registration) {
				return false;
			}
			registration.attached = false;
			this.table = this.table.without(registration.id);
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
		catch (RuntimeException | Error ex) {
			span.exception(ex);
			throw ex;
		}
		span.stop(Map.of(), Map.of());
		return result;
	}

	@Override
	public <T> T spanWithStop(EventName prefix, Map<String, ?> startMetadata, Supplier<SpanResult<T>> body) {
		SpanEvents.Span span = this.spans.start(prefix, startMetadata, true);
		SpanResult<T> result;
		try (TelemetrySpan.Scope scope = span.makeCurrent()) {
			result = body.get();
		}
		catch (RuntimeException | Error ex) {
			span.exception(ex);
			throw ex;
		}
		span.stop(result.measurements(), result.stopMetadata());
		return result.result();
	}

	@Override
	public TelemetrySpan startSpan(EventName prefix, Map<String, ?> startMetadata, boolean traced) {
		return this.spans.start(prefix, startMetadata, traced);
	}

}
