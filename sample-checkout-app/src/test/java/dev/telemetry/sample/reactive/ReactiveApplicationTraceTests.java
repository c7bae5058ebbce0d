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
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Hooks;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import static dev.telemetry.test.TelemetryAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One trace in a WebFlux application: the span of a {@code @TelemetryEvent} method returning a
 * {@code Mono} joins the request's trace, which WebFlux keeps in the Reactor context, and so does
 * the {@code WebClient} call it makes.
 */
@SpringBootTest(classes = ReactiveApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "spring.main.web-application-type=reactive")
class ReactiveApplicationTraceTests {

	private static final Duration PATIENCE = Duration.ofSeconds(20);

	@LocalServerPort
	int port;

	@Autowired
	TelemetryRecorder recorder;

	@Nested
	class OnBootDefaults {

		// With spring.reactor.context-propagation left `limited`, the method's span is the server span's
		// child, and the WebClient exchange and the server span it reaches are in the same, unbroken trace.
		@Test
		void monoMethodSpanJoinsTheRequestTrace() throws Exception {
			List<RecordedSpan> spans = priceTrace("pen");
			assertThat(span(spans, "shop.price").parentSpanId()).isEqualTo(span(spans, "http get /price/{sku}").spanId());
		}

		// Actuator requests are not observed in a WebFlux application either: no span, no event. The price
		// trace after it, whole when read, is recorded later than the health check's would be.
		@Test
		void actuatorRequestsAreNotObserved() throws Exception {
			HttpResponse<String> health = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create("http://localhost:" + ReactiveApplicationTraceTests.this.port
						+ "/actuator/health")).build(), HttpResponse.BodyHandlers.ofString());
			assertThat(health.statusCode()).isEqualTo(200);
			priceTrace("ruler");
			assertThat(ReactiveApplicationTraceTests.this.recorder.spans()).extracting(RecordedSpan::name)
				.noneMatch((name) -> name.contains("actuator"));
		}

	}

	@Nested
	@TestPropertySource(properties = "spring.reactor.context-propagation=auto")
	class WithAutomaticPropagation {

		// Boot turns Reactor's automatic propagation on for the whole JVM: off again for the tests after these.
		@AfterAll
		static void restoreReactorHooks() {
			Hooks.disableAutomaticContextPropagation();
		}

		// Server span, then the method's span, then the client exchange, then the server span it reaches.
		@Test
		void webClientCallIsChildOfTheMethodSpan() throws Exception {
			List<RecordedSpan> spans = priceTrace("ink");
			RecordedSpan price = span(spans, "shop.price");
			RecordedSpan client = span(spans, "http get");
			assertThat(price.parentSpanId()).isEqualTo(span(spans, "http get /price/{sku}").spanId());
			assertThat(client.parentSpanId()).isEqualTo(price.spanId());
			assertThat(span(spans, "http get /list-price/{sku}").parentSpanId()).isEqualTo(client.spanId());
		}

	}

	/**
	 * Asks the price of {@code sku} and returns the spans of its trace once it is whole and unbroken: the
	 * client span ("http get") can end after the server spans.
	 */
	List<RecordedSpan> priceTrace(String sku) throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/price/" + sku)).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(response.body()).isEqualTo(sku + "=1.20");
		assertThat(this.recorder).within(PATIENCE).emitted("shop.price.stop").once().withMetadata("sku", sku);
		String traceId = this.recorder.events("shop.price.stop").get(0).traceId();
		assertThat(this.recorder).within(PATIENCE)
			.trace(traceId)
			.containsSpans("shop.price", "http get /price/{sku}", "http get", "http get /list-price/{sku}")
			.isUnbroken();
		return this.recorder.spans().stream().filter((span) -> span.traceId().equals(traceId)).toList();
	}

	private static RecordedSpan span(List<RecordedSpan> spans, String name) {
		return spans.stream().filter((span) -> span.name().equals(name)).findFirst().orElseThrow();
	}

}
