package dev.telemetry.tracing;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.telemetry.EventName;
import dev.telemetry.Redaction;
import dev.telemetry.TelemetrySpanContext;
import dev.telemetry.bus.BusRecorder;
import dev.telemetry.bus.DefaultTelemetryEventBus;
import dev.telemetry.bus.HandlerFailurePolicy;
import dev.telemetry.bus.TraceSpans;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class MicrometerTraceSpansTests {

	private static final EventName CHECKOUT = EventName.parse("shop.checkout");

	private final OtelTracing tracing = new OtelTracing();

	private final DefaultTelemetryEventBus bus = new DefaultTelemetryEventBus(
			HandlerFailurePolicy.DETACH, Duration.ofMinutes(1), traceSpans(this.tracing), BusRecorder.NONE);

	TraceSpans traceSpans(OtelTracing tracing) {
		return new MicrometerTraceSpans(tracing.tracer, Redaction.defaults());
	}

	@AfterEach
	void close() {
		this.tracing.close();
	}

	// A bus span records a trace span named after the prefix, child of the current span.
	@Test
	void spanIsChildOfCurrentSpan() {
		Span parent = this.tracing.tracer.nextSpan().name("http post /checkout").start();
		try (Tracer.SpanInScope scope = this.tracing.tracer.withSpan(parent)) {
			this.bus.span(CHECKOUT, Map.of(), () -> "ok");
		}
		parent.end();
		SpanData checkout = this.tracing.span("shop.checkout");
		assertThat(checkout.getTraceId()).isEqualTo(parent.context().traceId());
		assertThat(checkout.getParentSpanId()).isEqualTo(parent.context().spanId());
	}

	// Work inside the span's body sees the span as current, so its own spans are children.
	@Test
	void spanIsCurrentInsideBody() {
		this.bus.span(CHECKOUT, Map.of(), () -> this.bus.span(EventName.parse("shop.payment.charge"), Map.of(), () -> 1));
		SpanData checkout = this.tracing.span("shop.checkout");
		assertThat(this.tracing.span("shop.payment.charge").getParentSpanId()).isEqualTo(checkout.getSpanId());
		assertThat(this.tracing.tracer.currentSpan()).isNull();
	}

	// String, number and boolean metadata become attributes; other values and the span context do not.
	@Test
	void metadataBecomesAttributes() {
		this.bus.span(CHECKOUT, Map.of("customer_id", "c-1", "cart_size", 3, "vip", true, "total", 9.5, "cart",
				List.of("a")), () -> "ok");
		SpanData checkout = this.tracing.span("shop.checkout");
		assertThat(checkout.getAttributes().get(AttributeKey.stringKey("customer_id"))).isEqualTo("c-1");
		assertThat(checkout.getAttributes().get(AttributeKey.longKey("cart_size"))).isEqualTo(3L);
		assertThat(checkout.getAttributes().get(AttributeKey.booleanKey("vip"))).isTrue();
		assertThat(checkout.getAttributes().get(AttributeKey.doubleKey("total"))).isEqualTo(9.5);
		assertThat(checkout.getAttributes().asMap().keySet()).extracting(AttributeKey::getKey)
			.doesNotContain("cart", TelemetrySpanContext.METADATA_KEY);
		assertThat(checkout.getStatus().getStatusCode()).isEqualTo(StatusCode.OK);
	}

	// Long string values are cut, so that one metadata value cannot make a span huge.
	@Test
	void longStringsAreTruncated() {
		this.bus.span(CHECKOUT, Map.of("note", "x".repeat(10_000)), () -> "ok");
		assertThat(this.tracing.span("shop.checkout").getAttributes().get(AttributeKey.stringKey("note")))
			.hasSize(256);
	}

	// Values of sensitive keys never become attribute values.
	@Test
	void sensitiveKeysAreRedacted() {
		this.bus.span(CHECKOUT, Map.of("payment_token", "tok_visa_4242", "Authorization", "Bearer abc", "cart_size", 3),
				() -> "ok");
		SpanData checkout = this.tracing.span("shop.checkout");
		assertThat(checkout.getAttributes().get(AttributeKey.stringKey("payment_token"))).isEqualTo(Redaction.REDACTED);
		assertThat(checkout.getAttributes().get(AttributeKey.stringKey("Authorization"))).isEqualTo(Redaction.REDACTED);
		assertThat(checkout.getAttributes().get(AttributeKey.longKey("cart_size"))).isEqualTo(3L);
		assertThat(checkout.getAttributes().toString()).doesNotContain("tok_visa_4242", "Bearer abc");
	}

	// A failing body marks the span as an error and records the exception.
	@Test
	void exceptionMarksSpanAsError() {
		assertThatIllegalStateException().isThrownBy(() -> this.bus.span(CHECKOUT, Map.of(), () -> {
			throw new IllegalStateException("declined");
		}));
		SpanData checkout = this.tracing.span("shop.checkout");
		assertThat(checkout.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
		assertThat(checkout.getStatus().getDescription()).isEqualTo("declined");
		assertThat(checkout.getEvents()).anySatisfy((event) -> assertThat(event.getName()).isEqualTo("exception"));
	}

	// Handlers read the trace id and span id of the span from telemetry_span_context.
	@Test
	void spanContextCarriesTraceAndSpanId() {
		TelemetrySpanContext[] seen = new TelemetrySpanContext[1];
		this.bus.attach("h", CHECKOUT.append("stop"),
				(e, m, md, c) -> seen[0] = (TelemetrySpanContext) md.get(TelemetrySpanContext.METADATA_KEY), null);
		this.bus.span(CHECKOUT, Map.of(), () -> "ok");
		SpanData checkout = this.tracing.span("shop.checkout");
		assertThat(seen[0].traceId()).isEqualTo(checkout.getTraceId());
		assertThat(seen[0].spanId()).isEqualTo(checkout.getSpanId());
	}

	// startSpan without tracing records no trace span but still emits events.
	@Test
	void untracedSpanRecordsNoTraceSpan() {
		this.bus.startSpan(CHECKOUT, Map.of(), false).stop(Map.of(), Map.of());
		assertThat(this.tracing.spans()).isEmpty();
	}

	// Inside the span, the tracer sees it as current even under a span the tracer made current, so that the
	// Observations started in the body are its children.
	@Test
	void spanIsTracersCurrentSpanInsideBody() {
		Span parent = this.tracing.tracer.nextSpan().name("http post /checkout").start();
		String[] current = new String[1];
		try (Tracer.SpanInScope scope = this.tracing.tracer.withSpan(parent)) {
			this.bus.span(CHECKOUT, Map.of(), () -> current[0] = this.tracing.tracer.currentSpan().context().spanId());
		}
		parent.end();
		assertThat(current[0]).isEqualTo(this.tracing.span("shop.checkout").getSpanId());
	}

	// Under a parent that is not sampled, the span is not recorded, and the trace keeps its ids.
	@Test
	void spanUnderUnsampledParentIsNotRecorded() {
		SpanContext parent = SpanContext.create("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
				TraceFlags.getDefault(), TraceState.getDefault());
		String[] traceId = new String[1];
		try (Scope scope = io.opentelemetry.api.trace.Span.wrap(parent).makeCurrent()) {
			this.bus.span(CHECKOUT, Map.of("customer_id", "c-1"),
					() -> traceId[0] = this.tracing.tracer.currentSpan().context().traceId());
		}
		assertThat(traceId[0]).isEqualTo(parent.getTraceId());
		assertThat(this.tracing.spans()).isEmpty();
	}

}
