package dev.telemetry.tracing;

import dev.telemetry.Redaction;
import dev.telemetry.bus.TraceSpans;

/**
 * The same behaviours as {@link MicrometerTraceSpansTests}, with spans made straight on the
 * OpenTelemetry API under the bridge's tracer: children, scope, attributes and status alike.
 */
class OpenTelemetryTraceSpansTests extends MicrometerTraceSpansTests {

	@Override
	TraceSpans traceSpans(OtelTracing tracing) {
		return new OpenTelemetryTraceSpans(tracing.otelTracer, Redaction.defaults());
	}

}
