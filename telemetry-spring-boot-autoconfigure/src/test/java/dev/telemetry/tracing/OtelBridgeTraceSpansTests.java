package dev.telemetry.tracing;

import dev.telemetry.Redaction;
import dev.telemetry.bus.TraceSpans;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same behaviours as {@link MicrometerTraceSpansTests} (parents, scope, attributes, status and
 * the exception event) with spans ended on the OpenTelemetry span under Micrometer's bridge.
 */
class OtelBridgeTraceSpansTests extends MicrometerTraceSpansTests {

	@Override
	TraceSpans traceSpans(OtelTracing tracing) {
		TraceSpans spans = MicrometerTraceSpans.of(tracing.tracer, Redaction.defaults());
		assertThat(spans).isInstanceOf(OtelBridgeTraceSpans.class);
		return spans;
	}

}
