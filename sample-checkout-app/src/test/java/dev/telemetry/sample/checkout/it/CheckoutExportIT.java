package dev.telemetry.sample.checkout.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The running sample jar when its trace collector (a real Zipkin server) is down, comes back, or
 * is still waiting for spans when the application is told to stop.
 */
class CheckoutExportIT {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	private static final List<String> CHECKOUT_SPANS = List.of("http post /checkout", "shop.checkout",
			"shop.payment.charge", "http post /payment-provider/charges", "shop.fulfillment", "shop.order.notify");

	// The collector is dead for the whole run: every request succeeds, the endpoint shows the
	// failures, and with OpenTelemetry's own loggers turned down as the README shows, the log
	// holds only the starter's summaries. When the collector comes up, export resumes on its own.
	@Test
	void deadCollectorCostsNoRequestAndExportResumesWhenItComesBack() throws Exception {
		int zipkinPort = JavaProcess.freePort();
		try (JavaProcess app = JavaProcess.start("sample-dead-collector", "sample.jar", "/actuator/health",
				Duration.ofSeconds(120), "--spring.profiles.active=zipkin",
				"--management.tracing.export.zipkin.endpoint=http://127.0.0.1:" + zipkinPort + "/api/v2/spans",
				"--management.opentelemetry.tracing.export.schedule-delay=200ms",
				"--telemetry.exporter.failure-log-interval=5s", "--logging.level.io.opentelemetry.exporter=off",
				"--logging.level.io.opentelemetry.sdk.trace.export.BatchSpanProcessor=error")) {
			long start = System.nanoTime();
			for (int i = 0; i < 100; i++) {
				assertThat(checkout(app).statusCode()).as("checkout %d with the collector down", i).isEqualTo(201);
			}
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(exporter(app).get("failed"))
				.as("failed spans").isInstanceOf(Number.class).satisfies((failed) -> assertThat(((Number) failed).longValue()).isGreaterThan(0)));
			Map<String, Object> exporter = exporter(app);
			assertThat((List<?>) exporter.get("exporters")).singleElement()
				.satisfies((zipkin) -> assertThat(map(zipkin)).containsEntry("name", "ZipkinSpanExporter")
					.containsEntry("exported", 0)
					.containsEntry("lastSuccess", null));
			assertThat(exporter).containsEntry("exported", 0)
				.containsEntry("dropped", 0)
				.containsEntry("lastSuccess", null);
			// The Zipkin exporter gives the cause of a failure only to its own log line.
			assertThat(map(exporter.get("lastError"))).containsEntry("exporter", "ZipkinSpanExporter")
				.containsEntry("error", "the exporter gave no cause (it may have logged one)");
			assertThat(prometheus(app)).containsPattern("telemetry_exporter_spans_total\\{.*outcome=\"failed\".*\\} [1-9]");

			// A quiet log: no line per failed batch, no stack trace, one summary per 5 s at most.
			String log = app.output();
			long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
			assertThat(log).doesNotContain("Failed to export spans").doesNotContain("\tat ");
			assertThat(count(log, "Span export is losing spans")).isBetween(1, (int) (seconds / 5) + 2);

			try (JavaProcess zipkin = JavaProcess.start("zipkin", "zipkin.jar", zipkinPort, "/health",
					Duration.ofSeconds(120))) {
				String traceId = traceId(checkout(app));
				awaitTrace(zipkin.port, traceId);
				await().atMost(Duration.ofSeconds(30))
					.untilAsserted(() -> assertThat(app.output()).contains("Span export works again"));
				assertThat(exporter(app).get("lastSuccess")).isNotNull();
				assertThat(((Number) exporter(app).get("exported")).longValue()).isGreaterThan(0);
			}
		}
	}

	// SIGTERM right after 50 checkouts, with a 30 s export delay and a batch that holds them all: every
	// span of every one of them, fulfilment and notification included, reaches Zipkin before the process exits.
	@Test
	void sigtermExportsEveryFinishedCheckout() throws Exception {
		try (JavaProcess zipkin = JavaProcess.start("zipkin", "zipkin.jar", "/health", Duration.ofSeconds(120))) {
			JavaProcess app = JavaProcess.start("sample-sigterm", "sample.jar", "/actuator/health",
					Duration.ofSeconds(120), "--spring.profiles.active=zipkin",
					"--management.tracing.export.zipkin.endpoint=http://127.0.0.1:" + zipkin.port + "/api/v2/spans",
					"--management.opentelemetry.tracing.export.schedule-delay=30s",
					// A checkout is some fifteen spans, its queries and messages included: keep all 50 in one batch.
					"--management.opentelemetry.tracing.export.max-batch-size=2048");
			List<String> traceIds = new ArrayList<>();
			try {
				for (int i = 0; i < 50; i++) {
					HttpResponse<String> response = checkout(app);
					assertThat(response.statusCode()).isEqualTo(201);
					traceIds.add(traceId(response));
				}
				assertThat(((Number) exporter(app).get("exported")).longValue()).as("nothing exported before SIGTERM")
					.isZero();
			}
			finally {
				assertThat(app.terminate(Duration.ofSeconds(60))).as("exits on SIGTERM").isTrue();
			}
			assertThat(app.output()).contains("Exported the last").doesNotContain("notification was not sent");
			for (String traceId : traceIds) {
				assertThat(names(trace(zipkin.port, traceId))).as("trace %s in Zipkin", traceId)
					.containsAll(CHECKOUT_SPANS);
			}
		}
	}

	private static HttpResponse<String> checkout(JavaProcess app) throws Exception {
		return HTTP.send(HttpRequest.newBuilder(app.uri("/checkout"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(
					"{\"customerId\":\"c-9\",\"paymentToken\":\"tok_visa\",\"items\":[{\"sku\":\"pen\",\"quantity\":1,\"unitPrice\":1.2}]}"))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String traceId(HttpResponse<String> response) {
		return (String) JSON.readValue(response.body(), new TypeReference<Map<String, Object>>() {
		}).get("traceId");
	}

	private static Map<String, Object> exporter(JavaProcess app) throws Exception {
		String body = HTTP.send(HttpRequest.newBuilder(app.uri("/actuator/telemetry")).build(),
				HttpResponse.BodyHandlers.ofString()).body();
		return map(JSON.readValue(body, new TypeReference<Map<String, Object>>() {
		}).get("exporter"));
	}

	private static String prometheus(JavaProcess app) throws Exception {
		return HTTP.send(HttpRequest.newBuilder(app.uri("/actuator/prometheus")).build(),
				HttpResponse.BodyHandlers.ofString()).body();
	}

	private static void awaitTrace(int zipkinPort, String traceId) {
		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(500))
			.untilAsserted(() -> assertThat(names(trace(zipkinPort, traceId))).containsAll(CHECKOUT_SPANS));
	}

	private static List<Map<String, Object>> trace(int zipkinPort, String traceId) throws Exception {
		HttpResponse<String> response = HTTP.send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + zipkinPort + "/api/v2/trace/" + traceId))
					.build(),
				HttpResponse.BodyHandlers.ofString());
		return (response.statusCode() == 200) ? JSON.readValue(response.body(), new TypeReference<>() {
		}) : List.of();
	}

	private static List<Object> names(List<Map<String, Object>> spans) {
		return spans.stream().map((span) -> span.get("name")).toList();
	}

	private static int count(String text, String needle) {
		Matcher matcher = Pattern.compile(Pattern.quote(needle)).matcher(text);
		int count = 0;
		while (matcher.find()) {
			count++;
		}
		return count;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Object value) {
		return (Map<String, Object>) value;
	}

}
