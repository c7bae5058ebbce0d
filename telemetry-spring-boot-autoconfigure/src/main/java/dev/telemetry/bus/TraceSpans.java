package dev.telemetry.bus;

import java.util.Map;

import dev.telemetry.EventName;
import dev.telemetry.TelemetrySpan;
import org.jspecify.annotations.Nullable;

/**
 * Records the trace span of a telemetry span. The tracing package implements it over Micrometer
 * Tracing, so that the bus itself needs no tracing library.
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
@FunctionalInterface
public interface TraceSpans {

	/** Records nothing. */
	TraceSpans NONE = (name, metadata) -> TraceSpan.NONE;

	/**
	 * Start a trace span named after the telemetry span's prefix, child of the current span,
	 * tagged with the start metadata; not yet current.
	 */
	TraceSpan start(EventName name, Map<String, ?> startMetadata);

	/**
	 * A started trace span; each method does nothing by default, as {@link #NONE} does. The ids
	 * are {@code null} or empty when nothing is recorded.
	 */
	interface TraceSpan {

		/** A span that records nothing. */
		TraceSpan NONE = new TraceSpan() {
		};

		/** The id of the span's trace, in hex. */
		default @Nullable String traceId() {
			return null;
		}

		/** The span's own id, in hex. */
		default @Nullable String spanId() {
			return null;
		}

		/** Make the span current in this thread; close the scope in the same thread. */
		default TelemetrySpan.Scope makeCurrent() {
			return TelemetrySpan.Scope.NOOP;
		}

		/** Tag the stop metadata, record the failure ({@code null} on success), and end the span. */
		default void end(Map<String, ?> stopMetadata, @Nullable Throwable failure) {
		}

	}

}
