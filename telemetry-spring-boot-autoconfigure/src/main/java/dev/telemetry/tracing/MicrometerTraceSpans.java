package dev.telemetry.tracing;

import java.util.Map;

import dev.telemetry.EventName;
import dev.telemetry.Redaction;
import dev.telemetry.TelemetrySpan;
import dev.telemetry.bus.TextLimit;
import dev.telemetry.bus.TraceSpans;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
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

	private static final Log logger = LogFactory.getLog(MicrometerTraceSpans.class);

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
		if (!ClassUtils.isPresent("io.micrometer.tracing.otel.bridge.OtelTracer", MicrometerTraceSpans.class.getClassLoader())) {
			return new MicrometerTraceSpans(tracer, redaction);
		}
		if (OtelBridgeTraceSpans.bridges(tracer)) {
			return new OtelBridgeTraceSpans(tracer, redaction);
		}
		logger.warn("Spans are recorded by " + tracer.getClass().getName() + ", not by Micrometer's OpenTelemetry "
				+ "bridge, which the starter brings: another tracing bridge is on the classpath (Spring Boot 4's "
				+ "spring-boot-starter-zipkin brings Brave's) and exports the spans itself. The "
				+ "management.opentelemetry.tracing.export.* settings do nothing then, and the 'exporter' section of "
				+ "/actuator/telemetry, its meters and the shutdown flush are off. To export to Zipkin through "
				+ "OpenTelemetry, depend on spring-boot-zipkin and io.opentelemetry:opentelemetry-exporter-zipkin "
				+ "instead of spring-boot-starter-zipkin");
		return new MicrometerTraceSpans(tracer, redaction);
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
