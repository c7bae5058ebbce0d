package dev.telemetry.tracing;

import java.util.Map;

import dev.telemetry.EventName;
import dev.telemetry.Redaction;
import dev.telemetry.TelemetrySpan;
import dev.telemetry.bus.TextLimit;
import dev.telemetry.bus.TraceSpans;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import org.jspecify.annotations.Nullable;

/**
 * Records telemetry spans straight on the OpenTelemetry API, with the {@link Tracer} that Spring
 * Boot gives Micrometer Tracing (so the same instrumentation scope, sampler, span processors and
 * exporters), without Micrometer's bridge objects around each span. A span in scope is the
 * current OpenTelemetry {@link Context}, which is what Micrometer Tracing reads: Observations
 * started inside it are its children, and Boot's context listeners keep the MDC up to date. The
 * span ends as Micrometer's bridge ends it: status {@code ERROR} with the exception recorded, or
 * {@code OK}.
 *
 * @author telemetry-spring-boot
 * @since 0.2.0
 */
public final class OpenTelemetryTraceSpans implements TraceSpans {

	private final Tracer tracer;

	private final Redaction redaction;

	/**
	 * Create an instance.
	 * @param tracer Boot's OpenTelemetry tracer
	 * @param redaction which metadata keys never become attribute values
	 */
	public OpenTelemetryTraceSpans(Tracer tracer, Redaction redaction) {
		this.tracer = tracer;
		this.redaction = redaction;
	}

	@Override
	public TraceSpan start(EventName name, Map<String, ?> startMetadata) {
		Context parent = Context.current();
		Span span = this.tracer.spanBuilder(name.toString()).setParent(parent).startSpan();
		tag(span, startMetadata);
		return new OpenTelemetryTraceSpan(this, parent, span);
	}

	private void tag(Span span, Map<String, ?> metadata) {
		if (!span.isRecording()) {
			return;
		}
		for (Map.Entry<String, ?> entry : metadata.entrySet()) {
			Object value = entry.getValue();
			String key = entry.getKey();
			if (value != null && this.redaction.isSensitive(key)) {
				span.setAttribute(key, Redaction.REDACTED);
			}
			else if (value instanceof String string) {
				span.setAttribute(key, TextLimit.SPAN_ATTRIBUTE.cut(string));
			}
			else if (value instanceof Boolean bool) {
				span.setAttribute(key, bool);
			}
			else if (value instanceof Long || value instanceof Integer || value instanceof Short
					|| value instanceof Byte) {
				span.setAttribute(key, ((Number) value).longValue());
			}
			else if (value instanceof Double || value instanceof Float) {
				span.setAttribute(key, ((Number) value).doubleValue());
			}
			else if (value instanceof Number number) {
				span.setAttribute(key, number.toString());
			}
		}
	}

	private record OpenTelemetryTraceSpan(OpenTelemetryTraceSpans spans, Context parent,
			Span span) implements TraceSpan {

		@Override
		public String traceId() {
			return this.span.getSpanContext().getTraceId();
		}

		@Override
		public String spanId() {
			return this.span.getSpanContext().getSpanId();
		}

		@Override
		public TelemetrySpan.Scope makeCurrent() {
			Scope scope = this.parent.with(this.span).makeCurrent();
			return scope::close;
		}

		@Override
		public void end(Map<String, ?> stopMetadata, @Nullable Throwable failure) {
			this.spans.tag(this.span, stopMetadata);
			if (failure != null) {
				this.span.recordException(failure);
				String message = failure.getMessage();
				if (message != null) {
					this.span.setStatus(StatusCode.ERROR, message);
				}
				else {
					this.span.setStatus(StatusCode.ERROR);
				}
			}
			else {
				this.span.setStatus(StatusCode.OK);
			}
			this.span.end();
		}

	}

}
