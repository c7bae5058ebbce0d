package dev.telemetry.sample.minimal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.telemetry.EventName;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.BeforeEach;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One trace across an HTTP request, a {@code @TelemetryEvent} method, its outgoing HTTP call,
 * the {@code @Async} task it starts and a message hand-off, in an application that sets no
 * telemetry or propagation property. Sampling is set to 1.0 so that every span is exported here;
 * the trace ids propagate whatever the sampling.
 */
@SpringBootTest(classes = MinimalApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.tracing.sampling.probability=1.0",
				"management.opentelemetry.tracing.export.schedule-delay=50ms" })
@ExtendWith(OutputCaptureExtension.class)
class MinimalApplicationTraceTests {

	private static final String UPSTREAM_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

	private static final String UPSTREAM_SPAN = "00f067aa0ba902b7";

	@LocalServerPort
	int port;

	@Autowired
	InMemorySpanExporter exporter;

	@Autowired
	MinimalApplication.Events events;

	@Autowired
	MinimalApplication.AsyncWorker worker;

	@Autowired
	Tracer tracer;

	@Autowired
	@Qualifier("applicationTaskExecutor")
	TaskExecutor executor;

	@BeforeEach
	void reset() {
		this.exporter.reset();
		this.events.received.clear();
	}

	// The annotated method emits its events, with no property set.
	@Test
	void annotatedMethodEmitsEvents() {
		get("/greet/ada", null);
		await().untilAsserted(() -> assertThat(this.events.received).contains(EventName.parse("x.y.start"),
				EventName.parse("x.y.stop"), EventName.parse("x.async.start"), EventName.parse("x.async.stop")));
	}

	// The annotated span sits under the HTTP server span, and the client call, the downstream server span,
	// the @Async span and the message consumer span all sit under it, in one trace.
	@Test
	void oneTraceAcrossHttpAsyncAndMessages() {
		get("/greet/ada", null);
		List<SpanData> spans = awaitSpans("x.y", "x.async", "x.consume", "http get /greet/{name}", "http get /downstream");
		SpanData server = span(spans, "http get /greet/{name}");
		SpanData business = span(spans, "x.y");
		assertThat(spans).extracting(SpanData::getTraceId).containsOnly(server.getTraceId());
		assertThat(business.getParentSpanId()).isEqualTo(server.getSpanId());
		assertThat(business.getAttributes().asMap()).containsValue("ada");
		SpanData client = spans.stream()
			.filter((span) -> span.getKind() == SpanKind.CLIENT)
			.findFirst()
			.orElseThrow();
		assertThat(client.getParentSpanId()).isEqualTo(business.getSpanId());
		assertThat(span(spans, "http get /downstream").getParentSpanId()).isEqualTo(client.getSpanId());
		assertThat(span(spans, "x.async").getParentSpanId()).isEqualTo(business.getSpanId());
		assertThat(span(spans, "x.consume").getParentSpanId()).isEqualTo(business.getSpanId());
	}

	// An incoming traceparent is continued: the server span is its child, in its trace.
	@Test
	void continuesIncomingTraceparent() {
		get("/greet/ada", "00-" + UPSTREAM_TRACE + "-" + UPSTREAM_SPAN + "-01");
		List<SpanData> spans = awaitSpans("x.y", "x.async", "http get /greet/{name}");
		assertThat(spans).extracting(SpanData::getTraceId).containsOnly(UPSTREAM_TRACE);
		assertThat(span(spans, "http get /greet/{name}").getParentSpanId()).isEqualTo(UPSTREAM_SPAN);
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
		List<SpanData> spans = awaitSpans("x.future", "http get /future");
		assertThat(span(spans, "x.future").getParentSpanId()).isEqualTo(span(spans, "http get /future").getSpanId());
		await().untilAsserted(() -> assertThat(this.events.received).contains(EventName.parse("x.future.stop")));
	}

	// With spring.threads.virtual.enabled=true (the newest-JDK run of .ci/run), the @Async task runs on a
	// virtual thread, in the span of the method that started it.
	@Test
	@EnabledIfSystemProperty(named = "spring.threads.virtual.enabled", matches = "true")
	void asyncTaskRunsOnAVirtualThreadInTheSameTrace() {
		get("/greet/ada", null);
		List<SpanData> spans = awaitSpans("x.y", "x.async");
		assertThat(span(spans, "x.async").getParentSpanId()).isEqualTo(span(spans, "x.y").getSpanId());
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
		// Exported before the next test resets the exporter, where it would be a trace of its own.
		awaitSpans("parent");
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

	private List<SpanData> awaitSpans(String... names) {
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(this.exporter.getFinishedSpanItems()).extracting(SpanData::getName)
				.contains(names));
		return this.exporter.getFinishedSpanItems();
	}

	private static SpanData span(List<SpanData> spans, String name) {
		return spans.stream()
			.filter((span) -> span.getName().equals(name))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no span " + name + " in " + spans.stream().map(SpanData::getName).toList()));
	}

}
