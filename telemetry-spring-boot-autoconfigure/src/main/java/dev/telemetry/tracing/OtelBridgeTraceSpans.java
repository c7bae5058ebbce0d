package dev.telemetry.tracing;

import dev.telemetry.Redaction;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.otel.bridge.OtelSpan;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.trace.StatusCode;
import org.jspecify.annotations.Nullable;

/**
 * Ends each span on the OpenTelemetry span it wraps, with the same status and exception event: the
 * bridge's {@code end()} copies the whole span only to learn whether a status was set.
 *
 * @author telemetry-spring-boot
 * @since 0.2.0
 */
final class OtelBridgeTraceSpans extends MicrometerTraceSpans {

	OtelBridgeTraceSpans(Tracer tracer, Redaction redaction) {
		super(tracer, redaction);
	}

	static boolean bridges(Tracer tracer) {
		return tracer instanceof OtelTracer;
	}

	@Override
	void end(Span span, @Nullable Throwable failure) {
		io.opentelemetry.api.trace.Span otel = OtelSpan.toOtel(span);
		if (failure == null) {
			otel.setStatus(StatusCode.OK);
		}
		else {
			otel.recordException(failure);
			String message = failure.getMessage();
			otel.setStatus(StatusCode.ERROR, (message != null) ? message : "");
		}
		otel.end();
	}

}
