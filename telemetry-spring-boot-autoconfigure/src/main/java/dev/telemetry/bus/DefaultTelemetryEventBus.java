package dev.telemetry.bus;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import dev.telemetry.AttachedHandler;
import dev.telemetry.EventName;
import dev.telemetry.SpanResult;
import dev.telemetry.TelemetryEventBus;
import dev.telemetry.TelemetryHandler;
import dev.telemetry.TelemetrySpan;
import dev.telemetry.bus.DispatchTable.Registration;
import org.jspecify.annotations.Nullable;

/**
 * The default {@link TelemetryEventBus}. Reads are optimised, writes are serialised: attach and
 * detach publish a new immutable {@link DispatchTable} built under a lock; execute finds the name's
 * handlers in it and calls them in a plain loop, taking no lock and allocating nothing when the
 * caller passes immutable maps. What the bus does is told to a {@link BusRecorder}.
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
public class DefaultTelemetryEventBus implements TelemetryEventBus {

	private final Object writeLock = new Object();

	private final HandlerFailures failures;

	final SpanEvents spans;

	private final BusRecorder recorder;

	private final ConcurrentHashMap<String, EventName> parsedNames = new ConcurrentHashMap<>();

	private volatile DispatchTable table;

	/**
	 * A bus with the defaults of {@link #builder()}.
	 */
	public DefaultTelemetryEventBus() {
		this(builder());
	}

	private DefaultTelemetryEventBus(Builder builder) {
		this.spans = new SpanEvents(this, builder.traceSpans);
		this.failures = new HandlerFailures(this, builder.failurePolicy, builder.failureLogInterval);
		this.recorder = builder.recorder;
		this.table = new DispatchTable(Map.of(), this.recorder);
	}

	/**
	 * A builder whose defaults detach failing handlers, as {@code :telemetry} does, and record
	 * nothing.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	@Override
	public void execute(EventName event, Map<String, ? extends Number> measurements, Map<String, ?> metadata) {
		dispatch(DispatchTable.requireConcrete(event), handlersOf(event), measurements, metadata);
	}

	@Override
	public void execute(String event, Map<String, ? extends Number> measurements, Map<String, ?> metadata) {
		EventName name = this.parsedNames.get(event);
		if (name == null) {
			name = EventName.parse(event);
			if (this.parsedNames.size() < DispatchTable.MAX_CACHED_NAMES) {
				this.parsedNames.putIfAbsent(event, name);
			}
		}
		execute(name, measurements, metadata);
	}

	@Override
	public boolean isListened(EventName event) {
		return this.table.route(event).handlers().length > 0;
	}

	DispatchTable table() {
		return this.table;
	}

	/** The handlers of an event being emitted now; counts the emission. */
	Registration[] handlersOf(EventName event) {
		DispatchTable.Route route = this.table.route(event);
		route.counter().increment();
		return route.handlers();
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
					this.recorder.failed(registration.id, ex);
					this.failures.handle(registration, event, ex);
				}
			}
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
		Registration registration = new Registration(handlerId, List.copyOf(new LinkedHashSet<>(events)), handler,
				config, this.failures.newLimiter());
		synchronized (this.writeLock) {
			Registration existing = this.table.get(handlerId);
			if (existing != null) {
				throw new IllegalStateException(
						"A telemetry handler with id '" + handlerId + "' is already attached to " + existing.events);
			}
			this.recorder.attached(handlerId, registration.events);
			this.table = this.table.with(registration);
		}
	}

	@Override
	public boolean detach(String handlerId) {
		Registration registration = this.table.get(handlerId);
		return registration != null && detach(registration, false);
	}

	/** Detach exactly this registration, not a newer one under the same id; whether this call did. */
	boolean detach(Registration registration, boolean failed) {
		synchronized (this.writeLock) {
			if (this.table.get(registration.id) != registration) {
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
		return this.table.rows(null);
	}

	@Override
	public List<AttachedHandler> listHandlers(EventName prefix) {
		return this.table.rows(prefix);
	}

	@Override
	public <T> T span(EventName prefix, Map<String, ?> startMetadata, Supplier<T> body) {
		return this.spans.run(prefix, startMetadata, body, false);
	}

	@Override
	public <T> T spanWithStop(EventName prefix, Map<String, ?> startMetadata, Supplier<SpanResult<T>> body) {
		return this.spans.run(prefix, startMetadata, body, true);
	}

	@Override
	public TelemetrySpan startSpan(EventName prefix, Map<String, ?> startMetadata, boolean traced) {
		return this.spans.start(prefix, startMetadata, traced);
	}

	/**
	 * Builds a {@link DefaultTelemetryEventBus}; each setter returns this builder.
	 */
	public static final class Builder {

		private HandlerFailurePolicy failurePolicy = HandlerFailurePolicy.DETACH;

		private Duration failureLogInterval = Duration.ofMinutes(1);

		private TraceSpans traceSpans = TraceSpans.NONE;

		private BusRecorder recorder = BusRecorder.NONE;

		/** What to do with a handler that throws; {@link HandlerFailurePolicy#DETACH} by default. */
		public Builder failurePolicy(HandlerFailurePolicy failurePolicy) {
			this.failurePolicy = failurePolicy;
			return this;
		}

		/** The least time between two warnings about a kept failing handler; a minute by default. */
		public Builder failureLogInterval(Duration failureLogInterval) {
			this.failureLogInterval = failureLogInterval;
			return this;
		}

		/** What records the trace spans of spans; nothing by default. */
		public Builder traceSpans(TraceSpans traceSpans) {
			this.traceSpans = traceSpans;
			return this;
		}

		/** What the bus tells of itself to, such as the endpoint's statistics; nothing by default. */
		public Builder recorder(BusRecorder recorder) {
			this.recorder = recorder;
			return this;
		}

		/** The bus. */
		public DefaultTelemetryEventBus build() {
			return new DefaultTelemetryEventBus(this);
		}

	}

}
