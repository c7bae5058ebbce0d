package dev.telemetry.bus;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.telemetry.EventName;
import dev.telemetry.TelemetrySpan;
import dev.telemetry.TelemetrySpanContext;
import dev.telemetry.bus.DispatchTable.Registration;
import dev.telemetry.bus.DispatchTable.SpanRoutes;
import org.jspecify.annotations.Nullable;

/**
 * Emits the {@code start}, {@code stop} and {@code exception} events of spans, with the
 * measurements and metadata of {@code :telemetry.span/3}, and records their trace spans.
 *
 * @author telemetry-spring-boot
 */
final class SpanEvents {

	private static final long ONE_SECOND = 1_000_000_000L;

	private final DefaultTelemetryEventBus bus;

	private final TraceSpans traceSpans;

	private volatile long epochOffsetNanos;

	private volatile long nextOffsetNanos = System.nanoTime();

	SpanEvents(DefaultTelemetryEventBus bus, TraceSpans traceSpans) {
		this.bus = bus;
		this.traceSpans = traceSpans;
	}

	/** Nanoseconds since the epoch at {@code nanoTime}: one clock read for both times; offset renewed each second. */
	long systemTimeNanos(long nanoTime) {
		if (nanoTime - this.nextOffsetNanos >= 0) {
			Instant now = Instant.now();
			this.epochOffsetNanos = now.getEpochSecond() * ONE_SECOND + now.getNano() - System.nanoTime();
			this.nextOffsetNanos = nanoTime + ONE_SECOND;
		}
		return nanoTime + this.epochOffsetNanos;
	}

	Span start(EventName prefix, Map<String, ?> startMetadata, boolean traced) {
		SpanRoutes routes = this.bus.table.spanRoutes(DispatchTable.requireConcrete(prefix));
		TraceSpans.TraceSpan traceSpan = traced ? this.traceSpans.start(prefix, startMetadata) : TraceSpans.TraceSpan.NONE;
		String traceId = traceSpan.traceId();
		// A no-op tracer answers empty ids: that is no trace. A span measured elsewhere brings its own.
		TelemetrySpanContext context = (traceId != null && !traceId.isEmpty())
				? TelemetrySpanContext.of(traceId, traceSpan.spanId())
				: (startMetadata.get(TelemetrySpanContext.METADATA_KEY) instanceof TelemetrySpanContext given) ? given
						: TelemetrySpanContext.create();
		// A caller's mutable map is copied, so that changing it in the body cannot change the stop event.
		Map<String, ?> start = ReadOnlyMaps.isConstant(startMetadata) ? startMetadata : new HashMap<>(startMetadata);
		ReadOnlyMaps.SpanMetadata metadata = new ReadOnlyMaps.SpanMetadata(start, context);
		long startTime = System.nanoTime();
		Registration[] handlers = routes.start().count();
		if (handlers.length > 0) {
			this.bus.dispatch(routes.start().event(), handlers, new ReadOnlyMaps.TwoLongs("monotonic_time", startTime,
					"system_time", systemTimeNanos(startTime)), metadata);
		}
		return new Span(routes, traceSpan, metadata, startTime);
	}

	/** Add the {@code kind}, {@code reason} and {@code stacktrace} of exception and failure events. */
	static void putFailure(Map<String, Object> metadata, Throwable failure) {
		metadata.put("kind", failure.getClass().getName());
		metadata.put("reason", (failure.getMessage() != null) ? failure.getMessage() : "");
		StringWriter trace = new StringWriter();
		failure.printStackTrace(new PrintWriter(trace));
		metadata.put("stacktrace", TextLimit.STACK_TRACE.cut(trace.getBuffer()));
	}

	/** A started span, set once ended: the first of stop or exception ends it, later calls are ignored. */
	final class Span extends AtomicBoolean implements TelemetrySpan {

		private final SpanRoutes routes;

		private final TraceSpans.TraceSpan traceSpan;

		private final ReadOnlyMaps.SpanMetadata metadata;

		private final long startTime;

		private Span(SpanRoutes routes, TraceSpans.TraceSpan traceSpan, ReadOnlyMaps.SpanMetadata metadata,
				long startTime) {
			this.routes = routes;
			this.traceSpan = traceSpan;
			this.metadata = metadata;
			this.startTime = startTime;
		}

		@Override
		public TelemetrySpanContext context() {
			return this.metadata.context;
		}

		@Override
		public Scope makeCurrent() {
			return this.traceSpan.makeCurrent();
		}

		@Override
		public void stop(Map<String, ? extends Number> extraMeasurements, Map<String, ?> stopMetadata) {
			if (compareAndSet(false, true)) {
				end(null, extraMeasurements, stopMetadata);
			}
		}

		@Override
		public void exception(Throwable failure, Map<String, ?> stopMetadata) {
			if (compareAndSet(false, true)) {
				end(failure, Map.of(), stopMetadata);
			}
		}

		/** End the span, in the one thread that set it ended. */
		private void end(@Nullable Throwable failure, Map<String, ? extends Number> extraMeasurements,
				Map<String, ?> stopMetadata) {
			long stopTime = System.nanoTime();
			this.traceSpan.end(stopMetadata, failure);
			// The current table's routes: a handler attached while the span ran receives its end.
			DispatchTable table = SpanEvents.this.bus.table;
			EventName prefix = this.routes.prefix();
			DispatchTable.Route route = (failure != null) ? table.route(prefix.append("exception"))
					: (this.routes.table() == table) ? this.routes.stop() : table.spanRoutes(prefix).stop();
			Registration[] handlers = route.count();
			if (handlers.length == 0) {
				return;
			}
			Map<String, Number> measurements;
			if (extraMeasurements.isEmpty()) {
				measurements = new ReadOnlyMaps.TwoLongs("duration", stopTime - this.startTime, "monotonic_time", stopTime);
			}
			else {
				measurements = new HashMap<>(extraMeasurements);
				measurements.put("duration", stopTime - this.startTime);
				measurements.put("monotonic_time", stopTime);
			}
			Map<String, Object> metadata = this.metadata;
			if (failure != null || !stopMetadata.isEmpty()) {
				metadata = this.metadata.copy();
				metadata.putAll(stopMetadata);
				metadata.put(TelemetrySpanContext.METADATA_KEY, this.metadata.context);
			}
			if (failure != null) {
				putFailure(metadata, failure);
			}
			SpanEvents.this.bus.dispatch(route.event(), handlers, measurements, metadata);
		}

		@Override
		public String toString() {
			return this.routes.start().event() + " " + this.metadata.context;
		}

	}

}
