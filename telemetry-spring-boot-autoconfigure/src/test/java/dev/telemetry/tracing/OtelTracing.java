package dev.telemetry.tracing;

import java.util.List;

import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;

/**
 * Micrometer Tracing bridged to an OpenTelemetry SDK that keeps finished spans in memory, as
 * Spring Boot wires it, minus the export.
 */
public final class OtelTracing implements AutoCloseable {

	final InMemorySpanExporter exporter = InMemorySpanExporter.create();

	final SdkTracerProvider provider = SdkTracerProvider.builder()
		.setSampler(Sampler.parentBased(Sampler.alwaysOn()))
		.addSpanProcessor(SimpleSpanProcessor.create(this.exporter))
		.build();

	final io.opentelemetry.api.trace.Tracer otelTracer = this.provider.get("test");

	public final OtelTracer tracer = new OtelTracer(this.otelTracer, new OtelCurrentTraceContext(), (event) -> {
	});

	final OtelPropagator propagator = new OtelPropagator(
			ContextPropagators.create(W3CTraceContextPropagator.getInstance()), this.otelTracer);

	public List<SpanData> spans() {
		return this.exporter.getFinishedSpanItems();
	}

	public SpanData span(String name) {
		return spans().stream()
			.filter((span) -> span.getName().equals(name))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No span '" + name + "' in " + spans()));
	}

	@Override
	public void close() {
		this.provider.close();
	}

}
