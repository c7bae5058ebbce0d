package dev.telemetry.sample.reactive;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import dev.telemetry.test.RecordedSpan;
import dev.telemetry.test.TelemetryRecorder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Hooks;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static dev.telemetry.test.TelemetryAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The WebFlux application with {@code spring.reactor.context-propagation=auto}: the {@code WebClient}
 * call of a {@code @TelemetryEvent} method returning a {@code Mono} is that method's span's child.
 */
@SpringBootTest(classes = ReactiveApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive", "spring.reactor.context-propagation=auto" })
class ReactiveApplicationAutoPropagationTests {

	private static final Duration PATIENCE = Duration.ofSeconds(20);

	@LocalServerPort
	int port;

	@Autowired
	TelemetryRecorder recorder;

	// Boot turns Reactor's automatic propagation on for the whole JVM: turn it off for the tests after these.
	@AfterAll
	static void restoreReactorHooks() {
		Hooks.disableAutomaticContextPropagation();
	}

	// Server span, then the method's span, then the client exchange, then the server span it reaches.
	@Test
	void webClientCallIsChildOfTheMethodSpan() throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/price/ink")).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(response.body()).isEqualTo("ink=1.20");
		assertThat(this.recorder).within(PATIENCE).emitted("shop.price.stop").once();
		String traceId = this.recorder.events("shop.price.stop").get(0).traceId();
		assertThat(this.recorder).within(PATIENCE)
			.trace(traceId)
			.containsSpans("shop.price", "http get /price/{sku}", "http get /list-price/{sku}")
			.isUnbroken();
		List<RecordedSpan> spans = this.recorder.spans().stream().filter((span) -> span.traceId().equals(traceId)).toList();
		RecordedSpan price = span(spans, "shop.price");
		RecordedSpan client = spans.stream().filter((span) -> span.kind().equals("CLIENT")).findFirst().orElseThrow();
		assertThat(price.parentSpanId()).isEqualTo(span(spans, "http get /price/{sku}").spanId());
		assertThat(client.parentSpanId()).isEqualTo(price.spanId());
		assertThat(span(spans, "http get /list-price/{sku}").parentSpanId()).isEqualTo(client.spanId());
	}

	private static RecordedSpan span(List<RecordedSpan> spans, String name) {
		return spans.stream().filter((span) -> span.name().equals(name)).findFirst().orElseThrow();
	}

}
