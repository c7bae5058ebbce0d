package dev.telemetry.sample.checkout.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The running sample jar scraped by a real Prometheus (Debian's package): under a few dozen
 * checkouts and declines, PromQL answers the p99 checkout latency from the histogram buckets (with
 * the SLO bucket that Boot's distribution properties add), the errors by kind, the fulfilment
 * queue depth as a gauge, the p99 database statement duration and the broker queue's depth.
 */
class CheckoutPrometheusIT {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	private static JavaProcess app;

	private static Process prometheus;

	private static int prometheusPort;

	private static Path prometheusDirectory;

	@BeforeAll
	static void start() throws Exception {
		// Debian 12's Prometheus (2.42) rejects a whole scrape that has exemplars on _count series,
		// which the Prometheus Java client writes when tracing is on; Prometheus 2.43+ accepts them.
		// Boot 4.1 turns them off with a property; Boot 4.0 has none, only the auto-configuration to exclude.
		app = JavaProcess.start("sample-checkout-app", "sample.jar", "/actuator/health", Duration.ofSeconds(120),
				"--telemetry.poller.period=1s", "--management.tracing.exemplars.include=none",
				"--spring.autoconfigure.exclude=org.springframework.boot.micrometer.tracing.autoconfigure.prometheus."
						+ "PrometheusExemplarsAutoConfiguration");
		prometheusDirectory = Files.createTempDirectory("prometheus");
		Path config = prometheusDirectory.resolve("prometheus.yml");
		Files.writeString(config, """
				global:
				  scrape_interval: 1s
				scrape_configs:
				  - job_name: sample-checkout-app
				    metrics_path: /actuator/prometheus
				    static_configs:
				      - targets: ['localhost:%d']
				""".formatted(app.port));
		try (ServerSocket socket = new ServerSocket(0)) {
			prometheusPort = socket.getLocalPort();
		}
		String binary = System.getProperty("prometheus.binary", "prometheus");
		try {
			prometheus = new ProcessBuilder(binary, "--config.file=" + config,
					"--storage.tsdb.path=" + prometheusDirectory.resolve("data"),
					"--web.listen-address=127.0.0.1:" + prometheusPort)
				.redirectErrorStream(true)
				.redirectOutput(prometheusDirectory.resolve("prometheus.log").toFile())
				.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot run '" + binary + "': install Debian's 'prometheus' package "
					+ "(.ci/run does) or pass -Dprometheus.binary=/path/to/prometheus", ex);
		}
		await().atMost(Duration.ofSeconds(60)).until(() -> status("/-/ready") == 200);
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(query("up")).singleElement()
				.satisfies((sample) -> assertThat(value(sample)).as("scrape of the sample is up").isEqualTo(1.0)));
	}

	@AfterAll
	static void stop() throws Exception {
		if (prometheus != null) {
			prometheus.destroy();
			prometheus.waitFor(30, TimeUnit.SECONDS);
		}
		if (app != null) {
			app.close();
		}
		if (prometheusDirectory != null) {
			org.springframework.util.FileSystemUtils.deleteRecursively(prometheusDirectory.toFile());
		}
	}

	// Scraped by Prometheus, the declared metrics answer PromQL: p99 latency, errors by kind, queue depth.
	@Test
	void prometheusAnswersCheckoutQueries() throws Exception {
		for (int i = 0; i < 36; i++) {
			assertThat(checkout((i % 4 == 3) ? "tok_declined" : "tok_visa")).isIn(201, 402);
		}

		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
			List<Map<String, Object>> p99 = query(
					"histogram_quantile(0.99, sum by (le) (rate(shop_checkout_duration_seconds_bucket[1m])))");
			assertThat(p99).singleElement().satisfies((sample) -> assertThat(value(sample)).isGreaterThan(0.0));
			// Boot's management.metrics.distribution.slo adds a bucket at exactly 100ms to the starter's meter.
			List<Map<String, Object>> slo = query("sum(shop_checkout_duration_seconds_bucket{le=\"0.1\"})");
			assertThat(slo).singleElement().satisfies((sample) -> assertThat(value(sample)).isGreaterThanOrEqualTo(0.0));
		});

		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
			List<Map<String, Object>> errors = query("sum by (kind) (shop_checkout_errors_total)");
			assertThat(errors).singleElement().satisfies((sample) -> {
				assertThat(map(sample.get("metric"))).containsEntry("kind",
						"dev.telemetry.sample.checkout.PaymentDeclinedException");
				assertThat(value(sample)).isEqualTo(9.0);
			});
		});

		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
			List<Map<String, Object>> depth = query("shop_fulfillment_queue_depth");
			assertThat(depth).anySatisfy((sample) -> {
				assertThat(map(sample.get("metric"))).containsEntry("executor", "applicationTaskExecutor");
				assertThat(value(sample)).isGreaterThanOrEqualTo(0.0);
			});
			Map<String, Object> metadata = get("/api/v1/metadata?metric=shop_fulfillment_queue_depth");
			assertThat(metadata.toString()).contains("type=gauge");
		});
	}

	// The database and the broker, declared over framework and polled events: the p99 duration of the sample's
	// statements (from jdbc.query.stop, which no code of the sample emits), and the notification queue's depth.
	@Test
	void prometheusAnswersDatabaseAndBrokerQueries() throws Exception {
		for (int i = 0; i < 12; i++) {
			assertThat(checkout("tok_visa")).isEqualTo(201);
		}

		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
			List<Map<String, Object>> p99 = query(
					"histogram_quantile(0.99, sum by (le) (rate(shop_db_query_duration_seconds_bucket[1m])))");
			assertThat(p99).singleElement().satisfies((sample) -> assertThat(value(sample)).isGreaterThan(0.0));
		});

		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
			List<Map<String, Object>> depth = query("shop_broker_queue_depth");
			assertThat(depth).singleElement().satisfies((sample) -> {
				assertThat(map(sample.get("metric"))).containsEntry("queue", "shop.order.notifications");
				assertThat(value(sample)).isGreaterThanOrEqualTo(0.0);
			});
			Map<String, Object> metadata = get("/api/v1/metadata?metric=shop_broker_queue_depth");
			assertThat(metadata.toString()).contains("type=gauge");
		});
	}

	private static int checkout(String token) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(app.uri("/checkout"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"customerId\":\"c-1\",\"paymentToken\":\"" + token
					+ "\",\"items\":[{\"sku\":\"book\",\"quantity\":1,\"unitPrice\":9.99}]}"))
			.build();
		return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
	}

	private static List<Map<String, Object>> query(String promql) throws Exception {
		Map<String, Object> answer = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
		assertThat(answer).containsEntry("status", "success");
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> result = (List<Map<String, Object>>) map(answer.get("data")).get("result");
		return result;
	}

	private static Map<String, Object> get(String path) throws Exception {
		HttpResponse<String> response = HTTP.send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + prometheusPort + path)).build(),
				HttpResponse.BodyHandlers.ofString());
		return JSON.readValue(response.body(), new TypeReference<>() {
		});
	}

	private static int status(String path) {
		return JavaProcess.status(URI.create("http://127.0.0.1:" + prometheusPort + path));
	}

	private static double value(Map<String, Object> sample) {
		List<?> value = (List<?>) sample.get("value");
		return Double.parseDouble((String) value.get(1));
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Object value) {
		return (Map<String, Object>) value;
	}

}
