package dev.telemetry.sample.checkout.it;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The running sample jar, profile {@code zipkin}, on its embedded database and broker, exporting
 * to a real Zipkin server: an outside caller with its own {@code traceparent} places orders, and
 * the trace is read back from Zipkin's query API; so are the runs of the reconcile job.
 */
class CheckoutZipkinIT {

	private static final String PRODUCER = "shop.order.notifications publish";

	private static final String CONSUMER = "shop.order.notifications process";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	private static JavaProcess zipkin;

	private static JavaProcess app;

	@BeforeAll
	static void start() {
		zipkin = JavaProcess.start("zipkin", "zipkin.jar", "/health", Duration.ofSeconds(120));
		app = JavaProcess.start("sample-checkout-app", "sample.jar", "/actuator/health", Duration.ofSeconds(120),
				"--spring.profiles.active=zipkin",
				"--management.tracing.export.zipkin.endpoint=http://localhost:" + zipkin.port + "/api/v2/spans",
				"--shop.reconcile.period=500ms");
	}

	@AfterAll
	static void stop() {
		if (app != null) {
			app.close();
		}
		if (zipkin != null) {
			zipkin.close();
		}
	}

	// Zipkin holds one unbroken trace under the caller's span, with every hop, from the running jar.
	@Test
	void confirmedCheckoutIsOneTraceInZipkin() throws Exception {
		String callerTrace = "5f1c2d3e4a5b6c7d8e9f0a1b2c3d4e5f";
		String callerSpan = "1a2b3c4d5e6f7a8b";
		HttpResponse<String> response = checkout("tok_visa", "00-" + callerTrace + "-" + callerSpan + "-01");
		assertThat(response.statusCode()).isEqualTo(201);
		assertThat(JSON.readValue(response.body(), new TypeReference<Map<String, Object>>() {
		})).containsEntry("traceId", callerTrace).containsEntry("status", "CONFIRMED");

		List<Map<String, Object>> spans = ZipkinTraces.trace(zipkin, callerTrace, "http post /checkout", "shop.checkout",
				"shop.payment.charge", "http post /payment-provider/charges", "shop.fulfillment", PRODUCER, CONSUMER,
				"shop.order.notify", "query");
		// The starter's default jdbc.includes=QUERY, from the running jar: no connection or result-set spans.
		assertThat(ZipkinTraces.names(spans)).doesNotContain("connection", "result-set");
		Map<String, Object> server = server(spans, "http post /checkout");
		Map<String, Object> checkout = ZipkinTraces.named(spans, "shop.checkout");
		Map<String, Object> charge = ZipkinTraces.named(spans, "shop.payment.charge");
		Map<String, Object> client = spans.stream()
			.filter((span) -> "CLIENT".equals(span.get("kind")) && String.valueOf(span.get("name")).startsWith("http"))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no client span in " + ZipkinTraces.names(spans)));
		Map<String, Object> producer = ZipkinTraces.named(spans, PRODUCER);
		Map<String, Object> consumer = ZipkinTraces.named(spans, CONSUMER);
		Map<String, Object> notify = ZipkinTraces.named(spans, "shop.order.notify");
		assertThat(server.get("parentId")).isEqualTo(callerSpan);
		assertThat(checkout.get("parentId")).isEqualTo(server.get("id"));
		assertThat(charge.get("parentId")).isEqualTo(checkout.get("id"));
		assertThat(client.get("parentId")).isEqualTo(charge.get("id"));
		assertThat(server(spans, "http post /payment-provider/charges").get("parentId")).isEqualTo(client.get("id"));
		assertThat(ZipkinTraces.named(spans, "shop.fulfillment").get("parentId")).isEqualTo(checkout.get("id"));
		assertThat(producer).containsEntry("kind", "PRODUCER").containsEntry("parentId", checkout.get("id"));
		assertThat(consumer).containsEntry("kind", "CONSUMER").containsEntry("parentId", producer.get("id"));
		assertThat(notify.get("parentId")).isEqualTo(consumer.get("id"));
		// The INSERT of the order under the checkout; the notification's UPDATE and SELECT under the notification.
		assertThat(queriesUnder(spans, checkout)).singleElement()
			.satisfies((sql) -> assertThat(sql).startsWith("INSERT INTO orders"));
		assertThat(queriesUnder(spans, notify)).hasSize(2).anySatisfy((sql) -> assertThat(sql).startsWith("UPDATE orders"));
		// Every span's parent is in the trace, but the server span's, which is the caller's.
		List<Object> ids = spans.stream().map((span) -> span.get("id")).toList();
		assertThat(spans).filteredOn((span) -> span != server)
			.allSatisfy((span) -> assertThat(ids).as("parent of %s", span.get("name")).contains(span.get("parentId")));
		assertThat(spans).allSatisfy((span) -> assertThat(span.get("traceId")).isEqualTo(callerTrace));
		assertThat(ZipkinTraces.map(checkout.get("localEndpoint"))).containsEntry("serviceName", "sample-checkout-app");
		assertThat(ZipkinTraces.map(checkout.get("tags"))).containsEntry("customer_id", "c-7")
			.containsEntry("payment_token", "[REDACTED]");
	}

	// Each run of the reconcile job is a trace of its own, apart from the checkouts: the scheduled run's root span,
	// the job's span under it with its metadata, and the job's query under that.
	@Test
	void reconcileJobRunIsATraceOfItsOwnInZipkin() {
		List<Map<String, Object>> run = ZipkinTraces.withSpan(zipkin, "sample-checkout-app", "shop.job.reconcile").get(0);
		Map<String, Object> job = ZipkinTraces.named(run, "shop.job.reconcile");
		Map<String, Object> root = run.stream()
			.filter((span) -> span.get("id").equals(job.get("parentId")))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no parent of the job's span in " + ZipkinTraces.names(run)));
		assertThat(root).doesNotContainKey("parentId");
		assertThat(ZipkinTraces.map(job.get("tags"))).containsEntry("job", "reconcile-orders")
			.containsEntry("attempt", "1")
			.containsKey("retry_count");
		assertThat(queriesUnder(run, job)).singleElement().satisfies((sql) -> assertThat(sql).startsWith("SELECT"));
		assertThat(ZipkinTraces.names(run)).doesNotContain("shop.checkout", "http post /checkout");
	}

	// A declined checkout answers 402, and its shop.checkout span in Zipkin carries an error.
	@Test
	void declinedCheckoutIsAnErrorInZipkin() throws Exception {
		HttpResponse<String> response = checkout("tok_declined", null);
		assertThat(response.statusCode()).isEqualTo(402);
		Map<String, Object> body = JSON.readValue(response.body(), new TypeReference<>() {
		});
		assertThat(body).containsEntry("status", "DECLINED");
		String traceId = (String) body.get("traceId");
		List<Map<String, Object>> spans = ZipkinTraces.trace(zipkin, traceId, "shop.checkout", "shop.payment.charge");
		assertThat(ZipkinTraces.map(ZipkinTraces.named(spans, "shop.checkout").get("tags"))).containsKey("error");
		assertThat(ZipkinTraces.map(ZipkinTraces.named(spans, "shop.payment.charge").get("tags"))).doesNotContainKey("error")
			.containsEntry("approved", "false");
	}

	private static HttpResponse<String> checkout(String token, String traceparent) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(app.uri("/checkout"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"customerId\":\"c-7\",\"paymentToken\":\"" + token
					+ "\",\"items\":[{\"sku\":\"book\",\"quantity\":2,\"unitPrice\":10.5}]}"));
		if (traceparent != null) {
			request.header("traceparent", traceparent);
		}
		return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * The statements of the JDBC query spans whose parent is the given span.
	 */
	private static List<String> queriesUnder(List<Map<String, Object>> spans, Map<String, Object> parent) {
		return spans.stream()
			.filter((span) -> "query".equals(span.get("name")) && parent.get("id").equals(span.get("parentId")))
			.map((span) -> (String) ZipkinTraces.map(span.get("tags")).get("jdbc.query[0]"))
			.toList();
	}

	private static Map<String, Object> server(List<Map<String, Object>> spans, String name) {
		return spans.stream()
			.filter((span) -> name.equals(span.get("name")) && "SERVER".equals(span.get("kind")))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no server span " + name + " in " + ZipkinTraces.names(spans)));
	}

}
