package dev.telemetry.sample.reactive;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import dev.telemetry.test.RecordedSpan;
import dev.telemetry.test.TelemetryRecorder;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static dev.telemetry.test.TelemetryAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One trace in a WebFlux application with Boot's defaults ({@code spring.reactor.context-propagation}
 * left {@code limited}): the span of a {@code @TelemetryEvent} method returning a {@code Mono} joins
 * the request's trace, found in the Reactor context, and so does the {@code WebClient} call it makes.
 */
@SpringBootTest(classes = ReactiveApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "spring.main.web-application-type=reactive")
class ReactiveApplicationTraceTests {

	private static final Duration PATIENCE = Duration.ofSeconds(20);

	@LocalServerPort
	int port;

	@Autowired
	TelemetryRecorder recorder;

	// The method's span is the server span's child, and the WebClient exchange and the server span it
	// reaches are in the same, unbroken trace.
	@Test
	void monoMethodSpanJoinsTheRequestTrace() throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/price/pen")).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(response.body()).isEqualTo("pen=1.20");
		assertThat(this.recorder).within(PATIENCE).emitted("shop.price.stop").once().withMetadata("sku", "pen");
		String traceId = this.recorder.events("shop.price.stop").get(0).traceId();
		assertThat(this.recorder).within(PATIENCE)
			.trace(traceId)
			.containsSpans("shop.price", "http get /price/{sku}", "http get /list-price/{sku}")
			.isUnbroken();
		List<RecordedSpan> spans = this.recorder.spans().stream().filter((span) -> span.traceId().equals(traceId)).toList();
		assertThat(span(spans, "shop.price").parentSpanId()).isEqualTo(span(spans, "http get /price/{sku}").spanId());
	}

	private static RecordedSpan span(List<RecordedSpan> spans, String name) {
		return spans.stream().filter((span) -> span.name().equals(name)).findFirst().orElseThrow();
	}

}
