package dev.telemetry.tracing;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.micrometer.context.ContextRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.contextpropagation.ObservationAwareSpanThreadLocalAccessor;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DefaultTraceContextCarrierTests {

	private final OtelTracing tracing = new OtelTracing();

	private final DefaultTraceContextCarrier carrier = new DefaultTraceContextCarrier(this.tracing.tracer,
			this.tracing.propagator);

	private final ExecutorService pool = Executors.newSingleThreadExecutor();

	DefaultTraceContextCarrierTests() {
		ContextRegistry.getInstance()
			.registerThreadLocalAccessor(
					new ObservationAwareSpanThreadLocalAccessor(ObservationRegistry.create(), this.tracing.tracer));
	}

	@AfterEach
	void close() {
		this.pool.shutdownNow();
		ContextRegistry.getInstance().removeThreadLocalAccessor(ObservationAwareSpanThreadLocalAccessor.KEY);
		this.tracing.close();
	}

	// inject writes the current span as a W3C traceparent header.
	@Test
	void injectWritesTraceparent() {
		Span producer = this.tracing.tracer.nextSpan().name("produce").start();
		Map<String, String> headers = new HashMap<>();
		try (Tracer.SpanInScope scope = this.tracing.tracer.withSpan(producer)) {
			this.carrier.inject(headers);
		}
		assertThat(headers.get("traceparent"))
			.matches("00-" + producer.context().traceId() + "-" + producer.context().spanId() + "-0[13]");
	}

	// With no current span, inject writes nothing.
	@Test
	void injectWithoutSpanWritesNothing() {
		Map<String, String> headers = new HashMap<>();
		this.carrier.inject(headers);
		assertThat(headers).isEmpty();
	}

	// The consumer span continues the producer's trace, as its child.
	@Test
	void continueTraceMakesConsumerSpanChildOfProducer() {
		Span producer = this.tracing.tracer.nextSpan().name("produce").start();
		Map<String, String> headers = new HashMap<>();
		try (Tracer.SpanInScope scope = this.tracing.tracer.withSpan(producer)) {
			this.carrier.inject(headers);
		}
		producer.end();
		String traceIdInside = this.carrier.continueTrace(headers, "consume",
				() -> this.tracing.tracer.currentSpan().context().traceId());
		SpanData consumer = this.tracing.span("consume");
		assertThat(consumer.getTraceId()).isEqualTo(producer.context().traceId()).isEqualTo(traceIdInside);
		assertThat(consumer.getParentSpanId()).isEqualTo(producer.context().spanId());
	}

	// A malformed traceparent starts a fresh, valid trace instead of failing.
	@Test
	void malformedHeaderStartsNewTrace() {
		String traceId = this.carrier.continueTrace(Map.of("traceparent", "00-zzzz-not-a-trace"), "consume",
				() -> this.tracing.tracer.currentSpan().context().traceId());
		assertThat(traceId).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32));
		assertThat(this.tracing.span("consume").getParentSpanId()).isEqualTo("0000000000000000");
	}

	// A body that fails, with a checked exception thrown sneakily too, ends the consumer span with an error.
	@Test
	void failingBodyMarksConsumerSpanWithError() {
		Exception checked = new java.io.IOException("disk gone");
		assertThatThrownBy(() -> this.carrier.continueTrace(Map.of(), "consume", () -> sneakyThrow(checked)))
			.isSameAs(checked);
		SpanData consumer = this.tracing.span("consume");
		assertThat(consumer.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
		assertThat(consumer.getEvents()).extracting(EventData::getName).contains("exception");
	}

	@SuppressWarnings("unchecked")
	private static <E extends Throwable> Object sneakyThrow(Throwable failure) throws E {
		throw (E) failure;
	}

	// A wrapped task, a CompletableFuture on a wrapped executor, and a task submitted to a wrapped executor
	// service run in the submitter's span.
	@Test
	void wrappedTasksRunInSubmittersSpan() throws Exception {
		Span parent = this.tracing.tracer.nextSpan().name("parent").start();
		String[] seen = new String[3];
		try (Tracer.SpanInScope scope = this.tracing.tracer.withSpan(parent)) {
			this.pool.submit(this.carrier.wrap(() -> seen[0] = this.tracing.tracer.currentSpan().context().spanId()))
				.get(10, TimeUnit.SECONDS);
			seen[1] = CompletableFuture
				.supplyAsync(() -> this.tracing.tracer.currentSpan().context().spanId(), this.carrier.wrap((Executor) this.pool))
				.get(10, TimeUnit.SECONDS);
			seen[2] = this.carrier.wrap(this.pool)
				.submit(() -> this.tracing.tracer.currentSpan().context().spanId())
				.get(10, TimeUnit.SECONDS);
		}
		assertThat(seen).containsOnly(parent.context().spanId());
		assertThat(this.pool.submit(() -> this.tracing.tracer.currentSpan()).get(10, TimeUnit.SECONDS)).isNull();
	}

}
