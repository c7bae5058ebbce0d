package dev.telemetry.bus;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.telemetry.AttachedHandler;
import dev.telemetry.EventName;
import dev.telemetry.TelemetryEventBus;
import dev.telemetry.TelemetryHandler;
import dev.telemetry.TelemetrySpan;
import dev.telemetry.bus.DispatchTable.Registration;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The default {@link TelemetryEventBus}. Reads are optimised, writes are serialised: attach and
 * detach publish a new immutable {@link DispatchTable} under a lock; execute calls the name's
 * handlers from it in a plain loop, taking no lock and allocating nothing for immutable maps.
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
public class DefaultTelemetryEventBus implements TelemetryEventBus {

	private static final EventName FAILURE_EVENT = EventName.parse(HANDLER_FAILURE_EVENT);

	private static final Log logger = LogFactory.getLog(DefaultTelemetryEventBus.class);

	private final Object writeLock = new Object();

	private final SpanEvents spans;

	private final BusRecorder recorder;

	private final HandlerFailurePolicy failurePolicy;

	private final Duration failureLogInterval;

	private final ConcurrentHashMap<String, EventName> parsedNames = new ConcurrentHashMap<>();

	volatile DispatchTable table;

	/** A bus that detaches failing handlers, as {@code :telemetry} does, and records nothing. */
	public DefaultTelemetryEventBus() {
		this(HandlerFailurePolicy.DETACH, Duration.ofMinutes(1), TraceSpans.NONE, BusRecorder.NONE);
	}

	/**
	 * A bus with its collaborators.
	 * @param failurePolicy what to do with a handler that throws
	 * @param failureLogInterval the least time between two warnings about a kept failing handler
	 * @param traceSpans what records the trace spans of spans, {@link TraceSpans#NONE} for nothing
	 * @param recorder what the bus tells of itself to, such as the endpoint's statistics, or
	 * {@link BusRecorder#NONE}
	 */
	public DefaultTelemetryEventBus(HandlerFailurePolicy failurePolicy, Duration failureLogInterval,
			TraceSpans traceSpans, BusRecorder recorder) {
		this.spans = new SpanEvents(this, traceSpans);
		this.recorder = recorder;
		this.failurePolicy = failurePolicy;
		this.failureLogInterval = failureLogInterval;
		this.table = new DispatchTable(Map.of(), this.recorder);
	}

	@Override
	public void execute(EventName event, Map<String, ? extends Number> measurements, Map<String, ?> metadata) {
		dispatch(DispatchTable.requireConcrete(event), this.table.route(event).count(), measurements, metadata);
	}

	@Override
	public void execute(String event, Map<String, ? extends Number> measurements, Map<String, ?> metadata) {
		EventName name = this.parsedNames.get(event);
		execute((name != null) ? name : DispatchTable.cache(this.parsedNames, event, EventName.parse(event)),
				measurements, metadata);
	}

	@Override
	public boolean isListened(EventName event) {
		return this.table.route(event).handlers().length > 0;
	}

	void dispatch(EventName event, Registration[] handlers, Map<String, ? extends Number> measurements,
			Map<String, ?> metadata) {
		if (handlers.length == 0) {
			return;
		}
		Map<String, Number> measurementsView = ReadOnlyMaps.view(measurements);
		Map<String, Object> metadataView = ReadOnlyMaps.view(metadata);
		for (Registration registration : handlers) {
			if (registration.attached) {
				try {
					registration.handler.handleEvent(event, measurementsView, metadataView, registration.config);
				}
				catch (OutOfMemoryError ex) {
					throw ex;
				}
				catch (Throwable ex) {
					failed(registration, event, ex);
				}
			}
		}
	}

	/** Apply the failure policy to a handler that threw, then emit the failure event. */
	private void failed(Registration registration, EventName event, Throwable failure) {
		this.recorder.failed(registration.id, failure);
		if (this.failurePolicy == HandlerFailurePolicy.DETACH) {
			// Several threads may see it fail at once: the one that detaches it reports it.
			if (!detach(registration, true)) {
				return;
			}
			logger.error("Telemetry handler '" + registration.id + "' failed on event '" + event
					+ "' and was detached from all its events " + registration.events
					+ " (telemetry.handler-failure=detach)", failure);
		}
		else {
			long heldBack = registration.warnings.tryAcquire();
			if (heldBack >= 0) {
				logger.warn("Telemetry handler '" + registration.id + "' failed on event '" + event + "' (" + heldBack
						+ " failures not logged since the last warning; it stays attached,"
						+ " telemetry.handler-failure=keep): " + failure);
			}
		}
		// Not for a failure of a failure event's handler: under KEEP that would loop forever.
		if (!event.equals(FAILURE_EVENT)) {
			long now = System.nanoTime();
			Map<String, Object> metadata = new LinkedHashMap<>();
			metadata.put("event_name", event);
			metadata.put("handler_id", registration.id);
			metadata.put("handler_config", registration.config);
			SpanEvents.putFailure(metadata, failure);
			execute(FAILURE_EVENT, Map.of("monotonic_time", now, "system_time", this.spans.systemTimeNanos(now)),
					metadata);
		}
	}

	@Override
	public void attachMany(String handlerId, Collection<EventName> events, TelemetryHandler handler,
			@Nullable Object config) {
		Assert.isTrue(!events.isEmpty(), () -> "Handler '" + handlerId + "' must be attached to at least one event");
		Registration registration = new Registration(handlerId, List.copyOf(new LinkedHashSet<>(events)), handler,
				config, new LogRateLimiter(this.failureLogInterval));
		synchronized (this.writeLock) {
			Registration existing = this.table.get(handlerId);
			Assert.state(existing == null,
					() -> "A telemetry handler with id '" + handlerId + "' is already attached to " + existing.events);
			this.recorder.attached(handlerId, registration.events);
			this.table = this.table.with(registration);
		}
	}

	@Override
	public boolean detach(String handlerId) {
		return detach(this.table.get(handlerId), false);
	}

	/** Detach exactly this registration, not a newer one under the same id; whether this call did. */
	private boolean detach(@Nullable Registration registration, boolean failed) {
		synchronized (this.writeLock) {
			if (registration == null || this.table.get(registration.id) != registration) {
				return false;
			}
			registration.attached = false;
			this.table = this.table.without(registration.id);
			this.recorder.detached(registration.id, failed);
			return true;
		}
	}

	@Override
	public List<AttachedHandler> listHandlers() {
		return this.table.rows();
	}

	@Override
	public TelemetrySpan startSpan(EventName prefix, Map<String, ?> startMetadata, boolean traced) {
		return this.spans.start(prefix, startMetadata, traced);
	}

}
