package dev.telemetry.sample.minimal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.telemetry.test.RecordedSpan;
import dev.telemetry.test.TelemetryRecorder;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.task.TaskExecutor;
import org.springframework.web.client.RestClient;

import static dev.telemetry.test.TelemetryAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One trace across an HTTP request, a {@code @TelemetryEvent} method, its outgoing HTTP call,
 * the {@code @Async} task it starts and a message hand-off, in an application that sets no
 * telemetry or propagation property. The test kit records the events and spans, and samples
 * every trace in tests; the trace ids propagate whatever the sampling.
 */
@SpringBootTest(classes = MinimalApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class MinimalApplicationTraceTests {

	private static final Duration PATIENCE = Duration.ofSeconds(20);

	private static final String UPSTREAM_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

	private static final String UPSTREAM_SPAN = "00f067aa0ba902b7";

	@LocalServerPort
	int port;

	@Autowired
	TelemetryRecorder recorder;

	@Autowired
	MinimalApplication.AsyncWorker worker;

	@Autowired
	Tracer tracer;

	@Autowired
	@Qualifier("applicationTaskExecutor")
	TaskExecutor executor;

	// The annotated methods emit their events, with no property set, in one trace.
	@Test
	void annotatedMethodEmitsEvents() {
		get("/greet/ada", null);
		assertThat(this.recorder).within(PATIENCE).emitted("x.y.stop").once().withMetadata("name", "ada");
		assertThat(this.recorder).within(PATIENCE).emitted("x.async.stop").once().withMeasurement("duration");
		assertThat(this.recorder).emitted("x.*.*").allInOneTrace();
	}

	// The annotated span sits under the HTTP server span, and the client call, the downstream server span,
	// the @Async span and the message consumer span all sit under it, in one trace.
	@Test
	void oneTraceAcrossHttpAsyncAndMessages() {
		get("/greet/ada", null);
		String traceId = this.recorder.events("x.y.start").get(0).traceId();
		assertThat(this.recorder).within(PATIENCE)
			.trace(traceId)
			.containsSpans("x.y", "x.async", "x.consume", "http get /greet/{name}", "http get /downstream")
			.isUnbroken();
		List<RecordedSpan> spans = spans(traceId);
		RecordedSpan server = span(spans, "http get /greet/{name}");
		RecordedSpan business = span(spans, "x.y");
		assertThat(business.parentSpanId()).isEqualTo(server.spanId());
		assertThat(business.attributes()).containsValue("ada");
		RecordedSpan client = spans.stream().filter((span) -> span.kind().equals("CLIENT")).findFirst().orElseThrow();
		assertThat(client.parentSpanId()).isEqualTo(business.spanId());
		assertThat(span(spans, "http get /downstream").parentSpanId()).isEqualTo(client.spanId());
		assertThat(span(spans, "x.async").parentSpanId()).isEqualTo(business.spanId());
		assertThat(span(spans, "x.consume").parentSpanId()).isEqualTo(business.spanId());
	}

	// An incoming traceparent is continued: the server span is its child, in its trace.
	@Test
	void continuesIncomingTraceparent() {
		get("/greet/ada", "00-" + UPSTREAM_TRACE + "-" + UPSTREAM_SPAN + "-01");
		assertThat(this.recorder).within(PATIENCE)
			.trace(UPSTREAM_TRACE)
			.containsSpans("x.y", "x.async", "http get /greet/{name}")
			.isUnbroken();
		assertThat(span(spans(UPSTREAM_TRACE), "http get /greet/{name}").parentSpanId()).isEqualTo(UPSTREAM_SPAN);
	}

	// The @Async task's log line carries the request's trace id.
	@Test
	void asyncLogLineCarriesTraceId(CapturedOutput output) {
		get("/greet/grace", "00-" + UPSTREAM_TRACE + "-" + UPSTREAM_SPAN + "-01");
		await().untilAsserted(() -> assertThat(output.getOut()).contains("async work for grace"));
		String line = output.getOut().lines().filter((l) -> l.contains("async work for grace")).findFirst().orElseThrow();
		assertThat(line).contains(UPSTREAM_TRACE);
		assertThat(line).doesNotContain("[main]");
	}

	// A CompletableFuture method's span ends when the future completes.
	@Test
	void completableFutureSpanEndsOnCompletion() {
		assertThat(get("/future", null)).isEqualTo("later");
		assertThat(this.recorder).within(PATIENCE).emitted("x.future.stop").once();
		String traceId = this.recorder.events("x.future.stop").get(0).traceId();
		assertThat(this.recorder).within(PATIENCE).trace(traceId).containsSpans("x.future", "http get /future");
		assertThat(span(spans(traceId), "x.future").parentSpanId())
			.isEqualTo(span(spans(traceId), "http get /future").spanId());
	}

	// With spring.threads.virtual.enabled=true (the newest-JDK run of .ci/run), the @Async task runs on a
	// virtual thread, in the span of the method that started it.
	@Test
	@EnabledIfSystemProperty(named = "spring.threads.virtual.enabled", matches = "true")
	void asyncTaskRunsOnAVirtualThreadInTheSameTrace() {
		get("/greet/ada", null);
		String traceId = this.recorder.events("x.y.start").get(0).traceId();
		assertThat(this.recorder).within(PATIENCE).trace(traceId).containsSpans("x.y", "x.async").isUnbroken();
		assertThat(span(spans(traceId), "x.async").parentSpanId()).isEqualTo(span(spans(traceId), "x.y").spanId());
		assertThat(isVirtual(this.worker.lastThread())).isTrue();
	}

	// A task handed to Boot's executor, virtual threads and all, runs in the span that handed it over.
	@Test
	@EnabledIfSystemProperty(named = "spring.threads.virtual.enabled", matches = "true")
	void executorTaskOnAVirtualThreadRunsInTheSubmittingSpan() throws Exception {
		Span parent = this.tracer.nextSpan().name("parent").start();
		CompletableFuture<String> seen = new CompletableFuture<>();
		try (Tracer.SpanInScope scope = this.tracer.withSpan(parent)) {
			this.executor.execute(() -> {
				Span current = this.tracer.currentSpan();
				seen.complete(((current != null) ? current.context().traceId() : "no span") + " virtual="
						+ isVirtual(Thread.currentThread()));
			});
		}
		finally {
			parent.end();
		}
		assertThat(seen.get(10, TimeUnit.SECONDS)).isEqualTo(parent.context().traceId() + " virtual=true");
	}

	/**
	 * {@code Thread.isVirtual()}, which Java 17, the level the tests compile at, does not have.
	 */
	private static boolean isVirtual(Thread thread) {
		try {
			return (boolean) Thread.class.getMethod("isVirtual").invoke(thread);
		}
		catch (ReflectiveOperationException ex) {
			return false;
		}
	}

	private String get(String path, String traceparent) {
		RestClient.RequestHeadersSpec<?> request = RestClient.create("http://localhost:" + this.port).get().uri(path);
		if (traceparent != null) {
			request = request.header("traceparent", traceparent);
		}
		return request.retrieve().body(String.class);
	}

	private List<RecordedSpan> spans(String traceId) {
		return this.recorder.spans().stream().filter((span) -> span.traceId().equals(traceId)).toList();
	}

	private static RecordedSpan span(List<RecordedSpan> spans, String name) {
		return spans.stream()
			.filter((span) -> span.name().equals(name))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no span " + name + " in " + spans));
	}

}
