package dev.telemetry.tracing;

import java.util.Map;

import dev.telemetry.EventName;
import dev.telemetry.Redaction;
import dev.telemetry.TelemetrySpan;
import dev.telemetry.bus.TextLimit;
import dev.telemetry.bus.TraceSpans;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

/**
 * Records telemetry spans as Micrometer Tracing spans, which Spring Boot's tracing pipeline
 * exports. Made with the {@link Tracer}, not as Observations, which would also get Boot's timers;
 * in scope, such a span is the parent of the Observations started inside it.
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
public class MicrometerTraceSpans implements TraceSpans {

	private final Tracer tracer;

	private final Redaction redaction;

	MicrometerTraceSpans(Tracer tracer, Redaction redaction) {
		this.tracer = tracer;
		this.redaction = redaction;
	}

	/**
	 * Trace spans with {@code tracer}, whose {@code redaction} keys never become attribute values;
	 * over Micrometer's OpenTelemetry bridge, spans end on the OpenTelemetry span they wrap.
	 */
	public static MicrometerTraceSpans of(Tracer tracer, Redaction redaction) {
		boolean bridge = ClassUtils.isPresent("io.micrometer.tracing.otel.bridge.OtelTracer",
				MicrometerTraceSpans.class.getClassLoader()) && OtelBridgeTraceSpans.bridges(tracer);
		return bridge ? new OtelBridgeTraceSpans(tracer, redaction) : new MicrometerTraceSpans(tracer, redaction);
	}

	@Override
	public TraceSpan start(EventName name, Map<String, ?> startMetadata) {
		Span span = this.tracer.nextSpan().name(name.toString());
		tag(span, startMetadata);
		return new MicrometerTraceSpan(this, span.start());
	}

	void tag(Span span, Map<String, ?> metadata) {
		if (metadata.isEmpty() || span.isNoop()) {
			return; // no iterator for the usual empty stop metadata, no work for a span not sampled
		}
		for (Map.Entry<String, ?> entry : metadata.entrySet()) {
			Object value = entry.getValue();
			String key = entry.getKey();
			if (value != null && this.redaction.isSensitive(key)) {
				span.tag(key, Redaction.REDACTED);
			}
			else if (value instanceof String string) {
				span.tag(key, TextLimit.SPAN_ATTRIBUTE.cut(string));
			}
			else if (value instanceof Boolean bool) {
				span.tag(key, bool);
			}
			else if (value instanceof Long || value instanceof Integer || value instanceof Short
					|| value instanceof Byte) {
				span.tag(key, ((Number) value).longValue());
			}
			else if (value instanceof Double || value instanceof Float) {
				span.tag(key, ((Number) value).doubleValue());
			}
			else if (value instanceof Number) {
				span.tag(key, value.toString());
			}
		}
	}

	// Overridden to end the OpenTelemetry span directly.
	void end(Span span, @Nullable Throwable failure) {
		if (failure != null) {
			span.error(failure);
		}
		span.end();
	}

	private record MicrometerTraceSpan(MicrometerTraceSpans spans, Span span) implements TraceSpan {

		@Override
		public @Nullable String traceId() {
			return this.span.context().traceId();
		}

		@Override
		public @Nullable String spanId() {
			return this.span.context().spanId();
		}

		@Override
		public TelemetrySpan.Scope makeCurrent() {
			Tracer.SpanInScope scope = this.spans.tracer.withSpan(this.span);
			return scope::close;
		}

		@Override
		public void end(Map<String, ?> stopMetadata, @Nullable Throwable failure) {
			this.spans.tag(this.span, stopMetadata);
			this.spans.end(this.span, failure);
		}

	}

}
