package dev.telemetry.sample.framework;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.telemetry.TelemetrySpanContext;
import dev.telemetry.sample.framework.FrameworkEventsApplication.FrameworkEvents;
import dev.telemetry.sample.framework.FrameworkEventsApplication.Received;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Spring's own Observations reach a {@code @TelemetryListener} over real HTTP: one
 * {@code http.server.requests.stop} per request served, one {@code http.client.requests.stop}
 * per call made, one {@code tasks.scheduled.execution.stop} per run, each with the ids of its
 * trace span, and the endpoint lists them.
 */
@SpringBootTest(classes = FrameworkEventsApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.tracing.sampling.probability=1.0",
				"management.opentelemetry.tracing.export.schedule-delay=50ms",
				"management.endpoints.web.exposure.include=telemetry",
				"telemetry.metrics[downstream.duration].event=http.client.requests.stop",
				"telemetry.metrics[downstream.duration].measurement=duration",
				"telemetry.metrics[downstream.duration].type=distribution",
				"telemetry.metrics[downstream.duration].unit=nanoseconds",
				"telemetry.metrics[downstream.duration].tags=client.name,outcome" })
class FrameworkEventsApplicationTests {

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@Autowired
	FrameworkEvents events;

	@Autowired
	InMemorySpanExporter exporter;

	@Autowired
	MeterRegistry meters;

	@Test
	void requestsCallsAndRunsReachTheListenerWithTheirTraceSpans() throws Exception {
		assertThat(get("/hello")).isEqualTo("hello world");
		await().untilAsserted(() -> {
			assertThat(this.events.named("http.server.requests.stop")).hasSize(2);
			assertThat(this.events.named("http.client.requests.stop")).hasSize(1);
			assertThat(this.events.named("tasks.scheduled.execution.stop")).isNotEmpty();
		});
		Received hello = server("/hello");
		Received world = server("/world");
		Received call = this.events.named("http.client.requests.stop").get(0);
		assertThat(hello.metadata()).containsEntry("status", "200").containsEntry("method", "GET");
		assertThat(call.metadata()).containsEntry("uri", "/world")
			.containsEntry("outcome", "SUCCESS")
			.containsEntry("client.name", "localhost");
		for (Received received : List.of(hello, world, call)) {
			assertThat(received.measurements().get("duration").longValue()).isPositive();
		}
		assertThat(hello.measurements().get("duration").longValue())
			.isGreaterThan(call.measurements().get("duration").longValue());
		// One trace: the request, its call and the call's request, each event carrying its own span.
		SpanData helloSpan = awaitSpanOf(hello);
		SpanData callSpan = awaitSpanOf(call);
		SpanData worldSpan = awaitSpanOf(world);
		assertThat(helloSpan.getKind()).isEqualTo(SpanKind.SERVER);
		assertThat(callSpan.getKind()).isEqualTo(SpanKind.CLIENT);
		assertThat(callSpan.getParentSpanId()).isEqualTo(helloSpan.getSpanId());
		assertThat(worldSpan.getParentSpanId()).isEqualTo(callSpan.getSpanId());
		assertThat(List.of(helloSpan, callSpan, worldSpan)).extracting(SpanData::getTraceId)
			.containsOnly(helloSpan.getTraceId());
		Received run = this.events.named("tasks.scheduled.execution.stop").get(0);
		assertThat(run.metadata()).containsEntry("outcome", "SUCCESS").containsEntry("code.function", "tick");
		assertThat(run.measurements().get("duration").longValue()).isPositive();
		SpanData runSpan = awaitSpanOf(run);
		assertThat(runSpan.getTraceId()).isNotEqualTo(helloSpan.getTraceId());
		// A distribution of the calls' duration by client, declared in properties over a framework event.
		Timer downstream = this.meters.find("downstream.duration")
			.tags("client.name", "localhost", "outcome", "SUCCESS")
			.timer();
		assertThat(downstream).isNotNull();
		assertThat(downstream.count()).isEqualTo(1);
		assertThat(downstream.totalTime(TimeUnit.NANOSECONDS)).isEqualTo(call.measurements().get("duration").doubleValue());
		String endpoint = get("/actuator/telemetry");
		assertThat(endpoint).contains("\"name\":\"http.server.requests.stop\"", "\"name\":\"http.client.requests.stop\"",
				"\"name\":\"tasks.scheduled.execution.stop\"", "\"source\":\"observation 'http.server.requests'\"");
	}

	// A browser asking /actuator/telemetry for HTML gets the live page; every other client gets the JSON.
	@Test
	void browserGetsThePageOtherClientsTheJson() throws Exception {
		String browser = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";
		HttpResponse<String> page = get("/actuator/telemetry", browser);
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying((type) -> assertThat(type).startsWith("text/html"));
		assertThat(page.body()).contains("<title>Telemetry</title>").doesNotContain("http://", "https://");
		for (String accept : new String[] { null, "*/*", "application/json", "application/vnd.spring-boot.actuator.v3+json" }) {
			HttpResponse<String> json = get("/actuator/telemetry", accept);
			assertThat(json.statusCode()).as(accept).isEqualTo(200);
			assertThat(json.body()).as(accept).startsWith("{").contains("\"handlers\"");
		}
		assertThat(get("/actuator/telemetry/framework-events-application-tests-none", null).statusCode()).isEqualTo(404);
	}

	private Received server(String uri) {
		return this.events.named("http.server.requests.stop")
			.stream()
			.filter((received) -> uri.equals(received.metadata().get("uri")))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No request for " + uri + " in " + this.events.received));
	}

	private SpanData awaitSpanOf(Received received) {
		TelemetrySpanContext context = (TelemetrySpanContext) received.metadata().get(TelemetrySpanContext.METADATA_KEY);
		return await().until(() -> this.exporter.getFinishedSpanItems()
			.stream()
			.filter((span) -> span.getSpanId().equals(context.spanId()) && span.getTraceId().equals(context.traceId()))
			.findFirst()
			.orElse(null), (span) -> span != null);
	}

	private String get(String path) throws Exception {
		return get(path, null).body();
	}

	private HttpResponse<String> get(String path, String accept) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path));
		if (accept != null) {
			request.header("Accept", accept);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
