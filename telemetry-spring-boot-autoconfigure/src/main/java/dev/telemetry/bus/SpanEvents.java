package dev.telemetry.bus;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.telemetry.EventName;
import dev.telemetry.TelemetrySpanContext;

/**
 * Emits the {@code start}, {@code stop} and {@code exception} events of spans, with the
 * measurements and metadata of {@code :telemetry.span/3}.
 *
 * @author telemetry-spring-boot
 */
final class SpanEvents {

	private static final int MAX_CACHED_PREFIXES = 4096;

	private final DefaultTelemetryEventBus bus;

	private final ConcurrentHashMap<EventName, Names> names = new ConcurrentHashMap<>();

	SpanEvents(DefaultTelemetryEventBus bus) {
		this.bus = bus;
	}

	static long systemTimeNanos() {
		Instant now = Instant.now();
		return now.getEpochSecond() * 1_000_000_000L + now.getNano();
	}

	/**
	 * Emit the start event of a span and return the span, to be ended exactly once.
	 */
	Span start(EventName prefix, Map<String, ?> startMetadata) {
		Names names = names(prefix);
		Map<String, Object> metadata = new HashMap<>(startMetadata.size() + 4);
		metadata.putAll(startMetadata);
		metadata.put(TelemetrySpanContext.METADATA_KEY, TelemetrySpanContext.create());
		long startTime = System.nanoTime();
		HandlerRegistration[] handlers = this.bus.handlersOf(names.start);
		if (handlers.length > 0) {
			this.bus.dispatch(names.start, handlers,
					Map.of("monotonic_time", startTime, "system_time", systemTimeNanos()), metadata);
		}
		return new Span(names, metadata, startTime);
	}

	private Names names(EventName prefix) {
		Names cached = this.names.get(prefix);
		if (cached == null) {
			cached = new Names(prefix.append("start"), prefix.append("stop"), prefix.append("exception"));
			if (this.names.size() < MAX_CACHED_PREFIXES) {
				this.names.putIfAbsent(prefix, cached);
			}
		}
		return cached;
	}

	private record Names(EventName start, EventName stop, EventName exception) {
	}

	/**
	 * A started span.
	 */
	final class Span {

		private final Names names;

		private final Map<String, Object> metadata;

		private final long startTime;

		private Span(Names names, Map<String, Object> metadata, long startTime) {
			this.names = names;
			this.metadata = metadata;
			this.startTime = startTime;
		}

		/**
		 * Emit the stop event with extra measurements and stop metadata merged in.
		 */
		void stop(Map<String, ? extends Number> extraMeasurements, Map<String, ?> stopMetadata) {
			long stopTime = System.nanoTime();
			HandlerRegistration[] handlers = SpanEvents.this.bus.handlersOf(this.names.stop);
			if (handlers.length == 0) {
				return;
			}
			Map<String, Number> measurements;
			if (extraMeasurements.isEmpty()) {
				measurements = Map.of("duration", stopTime - this.startTime, "monotonic_time", stopTime);
			}
			else {
				measurements = new HashMap<>(extraMeasurements);
				measurements.put("duration", stopTime - this.startTime);
				measurements.put("monotonic_time", stopTime);
			}
			Map<String, Object> metadata = this.metadata;
			if (!stopMetadata.isEmpty()) {
				metadata = new HashMap<>(this.metadata);
				metadata.putAll(stopMetadata);
				metadata.put(TelemetrySpanContext.METADATA_KEY, this.metadata.get(TelemetrySpanContext.METADATA_KEY));
			}
			SpanEvents.this.bus.dispatch(this.names.stop, handlers, measurements, metadata);
		}

		/**
		 * Emit the exception event for a failure of the span's body.
		 */
		void exception(Throwable failure) {
			long stopTime = System.nanoTime();
			HandlerRegistration[] handlers = SpanEvents.this.bus.handlersOf(this.names.exception);
			if (handlers.length == 0) {
				return;
			}
			Map<String, Object> metadata = new HashMap<>(this.metadata);
			HandlerFailures.putFailure(metadata, failure);
			SpanEvents.this.bus.dispatch(this.names.exception, handlers,
					Map.of("duration", stopTime - this.startTime, "monotonic_time", stopTime), metadata);
		}

	}

}
