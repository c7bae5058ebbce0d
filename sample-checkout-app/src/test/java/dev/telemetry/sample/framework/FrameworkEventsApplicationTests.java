package dev.telemetry.sample.framework;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.telemetry.TelemetrySpanContext;
import dev.telemetry.sample.framework.FrameworkEventsApplication.FrameworkEvents;
import dev.telemetry.test.RecordedEvent;
import dev.telemetry.test.RecordedSpan;
import dev.telemetry.test.TelemetryRecorder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static dev.telemetry.test.TelemetryAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Spring's own Observations reach the bus over real HTTP: one {@code http.server.requests.stop}
 * per request served, one {@code http.client.requests.stop} per call made, one
 * {@code tasks.scheduled.execution.stop} per run, each with the ids of its trace span, and the
 * endpoint lists them. The test kit's recorder is the handler that receives them.
 */
@SpringBootTest(classes = FrameworkEventsApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=telemetry",
				"telemetry.metrics[downstream.duration].event=http.client.requests.stop",
				"telemetry.metrics[downstream.duration].measurement=duration",
				"telemetry.metrics[downstream.duration].type=distribution",
				"telemetry.metrics[downstream.duration].unit=nanoseconds",
				"telemetry.metrics[downstream.duration].tags=client.name,outcome" })
class FrameworkEventsApplicationTests {

	private static final Duration PATIENCE = Duration.ofSeconds(10);

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@Autowired
	TelemetryRecorder recorder;

	@Autowired
	MeterRegistry meters;

	@Autowired
	FrameworkEvents listener;

	@Test
	void requestsCallsAndRunsReachTheBusWithTheirTraceSpans() throws Exception {
		assertThat(get("/hello")).isEqualTo("hello world");
		assertThat(this.recorder).within(PATIENCE)
			.emitted("http.server.requests.stop")
			.times(2)
			.withMeasurement("duration")
			.withMetadata("status", "200")
			.withMetadata("method", "GET");
		assertThat(this.recorder).within(PATIENCE)
			.emitted("http.client.requests.stop")
			.once()
			.withMeasurement("duration")
			.withMetadata("uri", "/world")
			.withMetadata("outcome", "SUCCESS")
			.withMetadata("client.name", "localhost");
		assertThat(this.recorder).within(PATIENCE)
			.emitted("tasks.scheduled.execution.stop")
			.withMeasurement("duration")
			.withMetadata("outcome", "SUCCESS")
			.withMetadata("code.function", "tick");
		// The application's own @TelemetryListener received the same events: one per request, call and run.
		List<String> requestsAndCall = this.recorder.events()
			.stream()
			.filter((event) -> event.name().toString().matches("http\\.(server|client)\\.requests\\.stop"))
			.map((event) -> event.name() + " " + event.metadata().get("uri") + " "
					+ event.metadata().get(TelemetrySpanContext.METADATA_KEY))
			.toList();
		assertThat(requestsAndCall).hasSize(3);
		assertThat(this.listener.received).containsAll(requestsAndCall)
			.anySatisfy((line) -> assertThat(line).startsWith("tasks.scheduled.execution.stop"));
		RecordedEvent hello = server("/hello");
		RecordedEvent world = server("/world");
		RecordedEvent call = this.recorder.events("http.client.requests.stop").get(0);
		assertThat(hello.measurements().get("duration").longValue())
			.isGreaterThan(call.measurements().get("duration").longValue());
		// One trace: the request, its call and the call's request, each event carrying its own span.
		assertThat(this.recorder).emitted("http.*.requests.stop").allInOneTrace();
		assertThat(this.recorder).within(PATIENCE).trace(hello.traceId()).isUnbroken();
		RecordedSpan helloSpan = spanOf(hello);
		RecordedSpan callSpan = spanOf(call);
		RecordedSpan worldSpan = spanOf(world);
		assertThat(helloSpan.kind()).isEqualTo("SERVER");
		assertThat(callSpan.kind()).isEqualTo("CLIENT");
		assertThat(callSpan.parentSpanId()).isEqualTo(helloSpan.spanId());
		assertThat(worldSpan.parentSpanId()).isEqualTo(callSpan.spanId());
		RecordedEvent run = this.recorder.events("tasks.scheduled.execution.stop").get(0);
		assertThat(spanOf(run).traceId()).isNotEqualTo(helloSpan.traceId());
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

	private RecordedEvent server(String uri) {
		return this.recorder.events("http.server.requests.stop")
			.stream()
			.filter((event) -> uri.equals(event.metadata().get("uri")))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No request for " + uri + " in " + this.recorder.events()));
	}

	private RecordedSpan spanOf(RecordedEvent event) {
		TelemetrySpanContext context = (TelemetrySpanContext) event.metadata().get(TelemetrySpanContext.METADATA_KEY);
		return await().until(() -> this.recorder.spans()
			.stream()
			.filter((span) -> span.spanId().equals(context.spanId()) && span.traceId().equals(context.traceId()))
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
