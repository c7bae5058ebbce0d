package dev.telemetry.test;

import dev.telemetry.bus.DefaultTelemetryEventBus;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static dev.telemetry.test.TelemetryAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class TraceAssertTests {

	private final RecordingSpanProcessor processor = new RecordingSpanProcessor();

	private final SdkTracerProvider provider = SdkTracerProvider.builder()
		.setSampler(Sampler.alwaysOn())
		.addSpanProcessor(this.processor)
		.build();

	private final Tracer tracer = this.provider.get("test");

	private final TelemetryRecorder recorder = TelemetryRecorder.attach(new DefaultTelemetryEventBus(), "test",
			this.processor);

	@AfterEach
	void close() {
		this.provider.close();
	}

	// A trace whose spans each have their parent in it passes, and so does a remote parent.
	@Test
	void passesOnAnUnbrokenTrace() {
		SpanContext caller = SpanContext.createFromRemoteParent("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7",
				TraceFlags.getSampled(), TraceState.getDefault());
		Span server = this.tracer.spanBuilder("http post /checkout")
			.setParent(Context.root().with(Span.wrap(caller)))
			.startSpan();
		Span checkout = this.tracer.spanBuilder("shop.checkout").setParent(Context.root().with(server)).startSpan();
		checkout.end();
		server.end();
		assertThat(this.recorder).trace(caller.getTraceId())
			.containsSpans("http post /checkout", "shop.checkout")
			.isUnbroken();
	}

	// A span whose parent never ended is named with its thread, and so is the parent.
	@Test
	void brokenTraceNamesTheSpanWhoseParentIsMissingAndItsThread() throws Exception {
		Span root = this.tracer.spanBuilder("shop.checkout").startSpan();
		Span leaked = this.tracer.spanBuilder("shop.reserve").setParent(Context.root().with(root)).startSpan();
		Thread worker = new Thread(
				() -> this.tracer.spanBuilder("shop.fulfil").setParent(Context.root().with(leaked)).startSpan().end(),
				"fulfilment-1");
		worker.start();
		worker.join();
		root.end();
		String traceId = root.getSpanContext().getTraceId();
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(this.recorder).trace(traceId).isUnbroken())
			.withMessageContaining("Expected trace " + traceId + " to be unbroken, but 1 of its 2 spans has a parent "
					+ "that is not in it:")
			.withMessageContaining("'shop.fulfil' (span ")
			.withMessageContaining("ran on thread 'fulfilment-1'; its parent " + leaked.getSpanContext().getSpanId()
					+ " is 'shop.reserve', started on thread '" + Thread.currentThread().getName() + "' and not ended");
		leaked.end();
		assertThat(this.recorder).trace(traceId).isUnbroken();
	}

	// A span that went to a new trace on another thread is found there, with that thread.
	@Test
	void missingSpanIsFoundInTheTraceItStartedOnAnotherThread() throws Exception {
		Span checkout = this.tracer.spanBuilder("shop.checkout").startSpan();
		Thread worker = new Thread(() -> this.tracer.spanBuilder("shop.fulfil").startSpan().end(), "fulfilment-2");
		worker.start();
		worker.join();
		checkout.end();
		String traceId = checkout.getSpanContext().getTraceId();
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(this.recorder).trace(traceId).containsSpans("shop.checkout", "shop.fulfil"))
			.withMessageContaining("to contain the spans [shop.checkout, shop.fulfil], but 'shop.fulfil' is missing.")
			.withMessageContaining("as the root of a new trace, on thread 'fulfilment-2': the trace context did not "
					+ "reach that thread");
	}

	// A span still open is reported as such.
	@Test
	void missingSpanThatHasNotEndedIsReported() {
		Span checkout = this.tracer.spanBuilder("shop.checkout").startSpan();
		Span fulfil = this.tracer.spanBuilder("shop.fulfil").setParent(Context.root().with(checkout)).startSpan();
		checkout.end();
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(this.recorder).trace(checkout.getSpanContext().getTraceId())
				.containsSpans("shop.fulfil"))
			.withMessageContaining("'shop.fulfil' was started in this trace on thread '"
					+ Thread.currentThread().getName() + "' and has not ended.");
		fulfil.end();
	}

	// Spans keep their kind, ids and attributes, and the thread they started on.
	@Test
	void recordsSpansWithTheirThread() {
		Span span = this.tracer.spanBuilder("shop.checkout").setAttribute("customer_id", "c-42").startSpan();
		span.end();
		RecordedSpan recorded = this.recorder.spans().get(0);
		assertThat(recorded.name()).isEqualTo("shop.checkout");
		assertThat(recorded.kind()).isEqualTo("INTERNAL");
		assertThat(recorded.parentSpanId()).isNull();
		assertThat(recorded.attributes())
			.containsEntry("customer_id", "c-42")
			.containsEntry(RecordedSpan.THREAD_NAME, Thread.currentThread().getName());
		this.recorder.clear();
		assertThat(this.recorder.spans()).isEmpty();
	}

}
