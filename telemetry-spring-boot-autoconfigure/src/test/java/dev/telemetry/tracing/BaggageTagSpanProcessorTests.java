package dev.telemetry.tracing;

import java.util.List;

import dev.telemetry.Redaction;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BaggageTagSpanProcessorTests {

	private final InMemorySpanExporter exporter = InMemorySpanExporter.create();

	private final SdkTracerProvider provider = SdkTracerProvider.builder()
		.addSpanProcessor(new BaggageTagSpanProcessor(List.of("tenant", "api_token", "note"), Redaction.defaults()))
		.addSpanProcessor(SimpleSpanProcessor.create(this.exporter))
		.build();

	@AfterEach
	void close() {
		this.provider.close();
	}

	// Allow-listed keys become attributes, redacted and cut at 256 characters; other keys never do.
	@Test
	void tagsOnlyAllowListedKeys() {
		Baggage baggage = Baggage.builder()
			.put("tenant", "acme")
			.put("api_token", "s3cr3t")
			.put("note", "x".repeat(1000))
			.put("user_secret", "leak123")
			.build();
		try (Scope scope = Context.current().with(baggage).makeCurrent()) {
			this.provider.get("test").spanBuilder("work").startSpan().end();
		}
		SpanData span = this.exporter.getFinishedSpanItems().get(0);
		assertThat(span.getAttributes().get(AttributeKey.stringKey("tenant"))).isEqualTo("acme");
		assertThat(span.getAttributes().get(AttributeKey.stringKey("api_token"))).isEqualTo(Redaction.REDACTED);
		assertThat(span.getAttributes().get(AttributeKey.stringKey("note"))).hasSize(256);
		assertThat(span.getAttributes().asMap().values()).noneMatch((value) -> value.toString().contains("leak123"));
		assertThat(span.getAttributes().size()).isEqualTo(3);
	}

	// Without baggage a span gets nothing.
	@Test
	void leavesSpansWithoutBaggageAlone() {
		this.provider.get("test").spanBuilder("work").startSpan().end();
		assertThat(this.exporter.getFinishedSpanItems().get(0).getAttributes().isEmpty()).isTrue();
	}

}
