package dev.telemetry.sample.checkout;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.telemetry.EventName;
import dev.telemetry.TelemetryEventBus;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.MDC;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jms.UncategorizedJmsException;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.reset;

/**
 * The checkout over real HTTP, on the embedded database and broker, with spans kept in memory:
 * one trace from the caller's {@code traceparent} through the checkout, its queries, the payment
 * call and the provider, the fulfilment task and the notification message; the reconcile job's
 * runs, each a trace of its own.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.opentelemetry.tracing.export.schedule-delay=50ms",
				"shop.slow-request-threshold=15ms", "shop.reconcile.period=200ms" })
@Import(CheckoutApplicationTests.InMemorySpans.class)
@ExtendWith(OutputCaptureExtension.class)
class CheckoutApplicationTests {

	private static final String CALLER_TRACE = "0af7651916cd43dd8448eb211c80319c";

	private static final String CALLER_SPAN = "b7ad6b7169203331";

	private static final String QUERY = "query";

	private static final String PRODUCER = OrderNotifications.QUEUE + " publish";

	private static final String CONSUMER = OrderNotifications.QUEUE + " process";

	@LocalServerPort
	int port;

	@Autowired
	InMemorySpanExporter exporter;

	@Autowired
	CheckoutStatistics statistics;

	@Autowired
	TelemetryEventBus bus;

	@Autowired
	JdbcClient jdbc;

	@MockitoSpyBean
	JmsTemplate jms;

	private RestClient client;

	@BeforeEach
	void setUp() {
		this.exporter.reset();
		this.client = RestClient.builder()
			.baseUrl("http://localhost:" + this.port)
			.defaultStatusHandler(HttpStatusCode::isError, (request, response) -> {
			})
			.build();
	}

	// A confirmed checkout continues the caller's trace through every hop, each span under the right parent:
	// its queries, the payment call, the @Async fulfilment, and the JMS message to the listener.
	@Test
	void confirmedCheckoutIsOneTrace() {
		Map<String, Thread> threads = new ConcurrentHashMap<>();
		this.bus.attachMany("threads",
				List.of(EventName.parse("shop.checkout.start"), EventName.parse("shop.fulfillment.start")),
				(event, measurements, metadata, config) -> threads.put(event.toString(), Thread.currentThread()), null);
		ResponseEntity<Map<String, Object>> response = checkout("tok_visa", "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-01");
		assertThat(response.getStatusCode().value()).isEqualTo(201);
		assertThat(response.getBody()).containsEntry("status", "CONFIRMED")
			.containsEntry("traceId", CALLER_TRACE)
			.containsKey("orderId");
		assertThat(((Number) response.getBody().get("total")).doubleValue()).isEqualTo(25.0);

		List<SpanData> spans = awaitSpans(CALLER_TRACE, "http post /checkout", "shop.checkout", "shop.payment.charge",
				"http post /payment-provider/charges", "shop.fulfillment", PRODUCER, CONSUMER, "shop.order.notify");
		this.bus.detach("threads");
		SpanData server = span(spans, "http post /checkout");
		SpanData checkout = span(spans, "shop.checkout");
		SpanData charge = span(spans, "shop.payment.charge");
		SpanData client = spans.stream().filter((span) -> span.getKind() == SpanKind.CLIENT
				&& span.getName().startsWith("http")).findFirst().orElseThrow();
		SpanData producer = span(spans, PRODUCER);
		SpanData consumer = span(spans, CONSUMER);
		SpanData notify = span(spans, "shop.order.notify");
		assertThat(server.getParentSpanId()).isEqualTo(CALLER_SPAN);
		assertThat(checkout.getParentSpanId()).isEqualTo(server.getSpanId());
		assertThat(charge.getParentSpanId()).isEqualTo(checkout.getSpanId());
		assertThat(client.getParentSpanId()).isEqualTo(charge.getSpanId());
		assertThat(span(spans, "http post /payment-provider/charges").getParentSpanId()).isEqualTo(client.getSpanId());
		assertThat(span(spans, "shop.fulfillment").getParentSpanId()).isEqualTo(checkout.getSpanId());
		// The @Async method's span starts on the task's thread, not the request's: the advice runs inside @Async's.
		assertThat(threads.get("shop.fulfillment.start")).isNotNull().isNotSameAs(threads.get("shop.checkout.start"));
		assertThat(producer.getKind()).isEqualTo(SpanKind.PRODUCER);
		assertThat(producer.getParentSpanId()).isEqualTo(checkout.getSpanId());
		assertThat(consumer.getKind()).isEqualTo(SpanKind.CONSUMER);
		assertThat(consumer.getParentSpanId()).isEqualTo(producer.getSpanId());
		assertThat(notify.getParentSpanId()).isEqualTo(consumer.getSpanId());
		// The INSERT runs in the checkout, the UPDATE and the SELECT in the notification.
		assertThat(queries(spans, checkout)).singleElement()
			.satisfies((query) -> assertThat(statement(query)).startsWith("INSERT INTO orders"));
		assertThat(queries(spans, notify)).extracting(CheckoutApplicationTests::statement)
			.satisfiesExactlyInAnyOrder((sql) -> assertThat(sql).startsWith("UPDATE orders"),
					(sql) -> assertThat(sql).startsWith("SELECT"));
		assertThat(checkout.getAttributes().get(AttributeKey.stringKey("customer_id"))).isEqualTo("c-42");
		assertThat(checkout.getAttributes().get(AttributeKey.longKey("cart_size"))).isEqualTo(2L);
		assertThat(checkout.getAttributes().get(AttributeKey.stringKey("payment_method"))).isEqualTo("card");
		assertThat(checkout.getAttributes().get(AttributeKey.stringKey("payment_token"))).isEqualTo("[REDACTED]");
	}

	// The order is stored, and its notification marks it notified.
	@Test
	void confirmedOrderIsStoredAndNotified() {
		String orderId = (String) checkout("tok_visa", null).getBody().get("orderId");
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(status(orderId)).isEqualTo("NOTIFIED"));
	}

	// A checkout whose notification the broker refuses still stands: 201, one WARN, and a run of the reconcile
	// job sends the notification later.
	@Test
	void refusedNotificationKeepsTheOrderAndIsSentLater(CapturedOutput output) {
		willThrow(new UncategorizedJmsException("broker down")).given(this.jms)
			.convertAndSend(eq(OrderNotifications.QUEUE), any(Object.class));
		ResponseEntity<Map<String, Object>> response;
		try {
			response = checkout("tok_visa", null);
		}
		finally {
			reset(this.jms);
		}
		assertThat(response.getStatusCode().value()).isEqualTo(201);
		String orderId = (String) response.getBody().get("orderId");
		assertThat(output.getOut().lines().filter((line) -> line.contains("Order " + orderId + " is confirmed but its "
				+ "notification was not sent (broker down)"))).singleElement().asString().contains("WARN");
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(status(orderId)).isEqualTo("NOTIFIED"));
	}

	// A run of the reconcile job whose message the broker refuses fails: one structured line with the run's own
	// trace id, the job and the attempt. The next run is attempt 2; once the broker takes the message again, a run
	// sends the notification and the order is notified.
	@Test
	void failedJobRunIsLoggedWithItsTraceAndRetried(CapturedOutput output) {
		String orderId = UUID.randomUUID().toString();
		// The broker refuses first: a run between the insert and the refusal would notify the order at once.
		willThrow(new UncategorizedJmsException("broker down")).given(this.jms)
			.convertAndSend(OrderNotifications.QUEUE, (Object) orderId);
		this.jdbc.sql("INSERT INTO orders (id, customer_id, total, item_count, payment_reference, status, created_at) "
				+ "VALUES (:id, 'c-7', 10.00, 1, 'ch_1', 'CONFIRMED', :created)")
			.param("id", orderId)
			.param("created", Timestamp.from(Instant.now().minusSeconds(3600)))
			.update();
		try {
			await().atMost(Duration.ofSeconds(20))
				.untilAsserted(() -> assertThat(jobFailures(output)).hasSizeGreaterThanOrEqualTo(2));
		}
		finally {
			reset(this.jms);
		}
		List<String> failures = jobFailures(output);
		assertThat(failures.get(0)).contains("\"job\":\"reconcile-orders\"", "\"attempt\":\"1\"",
				"\"reason\":\"broker down\"");
		assertThat(failures.get(1)).contains("\"attempt\":\"2\"");
		String firstTrace = traceId(failures.get(0));
		assertThat(traceId(failures.get(1))).isNotEqualTo(firstTrace);
		// The failed run's trace: the job's span, in error, under the scheduled run's root span.
		List<SpanData> run = awaitSpans(firstTrace, "shop.job.reconcile");
		SpanData job = span(run, "shop.job.reconcile");
		assertThat(job.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
		SpanData root = run.stream().filter((span) -> span.getSpanId().equals(job.getParentSpanId())).findFirst().orElseThrow();
		assertThat(root.getParentSpanContext().isValid()).isFalse();
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(status(orderId)).isEqualTo("NOTIFIED"));
	}

	// Hostile trace headers never break a request: each gets a fresh, valid trace of its own.
	@Test
	void hostileTraceHeadersGetFreshTrace() {
		List<Map<String, String>> hostile = List.of(Map.of("traceparent", "00-zzzz-not-a-trace-01"),
				Map.of("traceparent", "00-" + "a".repeat(4000) + "-00f067aa0ba902b7-01"),
				Map.of("traceparent", "00-00000000000000000000000000000000-0000000000000000-01"),
				Map.of("traceparent", "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
				Map.of("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "baggage",
						";;;===,,,%%%zz=%E0%A4%A," + "k=v;".repeat(500)));
		java.util.Set<String> traceIds = new java.util.HashSet<>();
		for (Map<String, String> headers : hostile) {
			RestClient.RequestBodySpec request = this.client.post()
				.uri("/checkout")
				.contentType(MediaType.APPLICATION_JSON)
				.body(Map.of("customerId", "c-42", "paymentToken", "tok_visa", "items",
						List.of(Map.of("sku", "book", "quantity", 1, "unitPrice", 10))));
			headers.forEach(request::header);
			ResponseEntity<Map<String, Object>> response = request.retrieve().toEntity(new ParameterizedTypeReference<>() {
			});
			assertThat(response.getStatusCode().value()).as(headers.toString()).isEqualTo(201);
			String traceId = (String) response.getBody().get("traceId");
			assertThat(traceId).as(headers.toString()).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32));
			traceIds.add(traceId);
		}
		// The four malformed traceparents start new traces; the valid one with garbage baggage is continued.
		assertThat(traceIds).hasSize(5).contains("4bf92f3577b34da6a3ce929d0e0e4736");
	}

	// Incoming baggage reaches spans and logs only for allow-listed keys (management.tracing.baggage.*):
	// 'tenant' does, a smuggled 'user_secret' does not.
	@Test
	void onlyAllowListedBaggageReachesSpansAndLogs(CapturedOutput output) {
		List<Map<String, String>> mdc = new CopyOnWriteArrayList<>();
		this.bus.attach("baggage-test", EventName.parse("shop.checkout.stop"), (e, m, md, c) -> {
			Map<String, String> context = MDC.getCopyOfContextMap();
			mdc.add((context != null) ? context : Map.of());
		}, null);
		try {
			String traceId = "1bf92f3577b34da6a3ce929d0e0e4737";
			ResponseEntity<Map<String, Object>> response = this.client.post()
				.uri("/checkout")
				.contentType(MediaType.APPLICATION_JSON)
				.header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
				.header("baggage", "tenant=acme,user_secret=leak123")
				.body(Map.of("customerId", "c-42", "paymentToken", "tok_visa", "items",
						List.of(Map.of("sku", "book", "quantity", 1, "unitPrice", 10))))
				.retrieve()
				.toEntity(new ParameterizedTypeReference<>() {
				});
			assertThat(response.getStatusCode().value()).isEqualTo(201);
			List<SpanData> spans = awaitSpans(traceId, "http post /checkout", "shop.checkout");
			assertThat(span(spans, "http post /checkout").getAttributes().get(AttributeKey.stringKey("tenant")))
				.isEqualTo("acme");
			assertThat(span(spans, "shop.checkout").getAttributes().get(AttributeKey.stringKey("tenant")))
				.isEqualTo("acme");
			assertThat(spans).allSatisfy((span) -> assertThat(span.getAttributes().asMap().values())
				.noneMatch((value) -> String.valueOf(value).contains("leak123")));
			assertThat(mdc).singleElement()
				.satisfies((context) -> assertThat(context).containsEntry("tenant", "acme")
					.doesNotContainKey("user_secret"));
			assertThat(output).doesNotContain("leak123");
		}
		finally {
			this.bus.detach("baggage-test");
		}
	}

	// The business event carries the domain latency, and the statistics listener counts the order.
	@Test
	void completedEventCarriesProcessingTime() {
		long confirmed = this.statistics.confirmed();
		long processing = this.statistics.processingNanos();
		checkout("tok_visa", null);
		assertThat(this.statistics.confirmed()).isEqualTo(confirmed + 1);
		assertThat(this.statistics.processingNanos()).isGreaterThan(processing);
	}

	// A declined payment answers 402, marks shop.checkout as an error and logs one redacted JSON line with the trace id.
	@Test
	void declinedCheckout(CapturedOutput output) {
		ResponseEntity<Map<String, Object>> response = checkout("tok_declined", null);
		assertThat(response.getStatusCode().value()).isEqualTo(402);
		assertThat(response.getBody()).containsEntry("status", "DECLINED").containsKey("orderId");
		String traceId = (String) response.getBody().get("traceId");
		assertThat(traceId).matches("[0-9a-f]{32}");

		SpanData checkout = span(awaitSpans(traceId, "shop.checkout", "shop.payment.charge"), "shop.checkout");
		assertThat(checkout.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);

		List<String> failureLines = output.getOut()
			.lines()
			.filter((line) -> line.contains("shop.failures") && line.contains(traceId))
			.toList();
		assertThat(failureLines).singleElement()
			.asString()
			.contains("\"event\":\"shop.checkout.exception\"")
			.contains("\"trace_id\":\"" + traceId + "\"")
			.contains("\"kind\":\"" + PaymentDeclinedException.class.getName() + "\"")
			.contains("\"payment_token\":\"[REDACTED]\"")
			.doesNotContain("tok_declined");
	}

	// A request slower than the threshold (a checkout waits 20 ms for the provider) logs one JSON line
	// from Spring's http.server.requests.stop event, with the trace id, uri, status and duration.
	@Test
	void slowRequestLogsOneStructuredLine(CapturedOutput output) {
		checkout("tok_visa", "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-01");
		await().untilAsserted(() -> assertThat(output.getOut().lines()
			.filter((line) -> line.contains("shop.slow-requests") && line.contains("\"uri\":\"/checkout\"")))
			.singleElement()
			.asString()
			.contains("\"trace_id\":\"" + CALLER_TRACE + "\"")
			.contains("\"method\":\"POST\"")
			.contains("\"status\":\"201\"")
			.containsPattern("\"duration_ms\":[1-9][0-9]+"));
	}

	// An invalid body answers 400 problem details and places no order.
	@Test
	void invalidBodyIsProblemDetails() {
		List<EventName> starts = new CopyOnWriteArrayList<>();
		this.bus.attach("invalid-body-test", EventName.parse("shop.checkout.start"), (e, m, md, c) -> starts.add(e), null);
		try {
			for (String body : List.of("{\"customerId\":\"c-1\",\"paymentToken\":\"tok_visa\",\"items\":[]}",
					"{\"customerId\":\"c-1\",\"paymentToken\":\"tok_visa\",\"items\":[{\"sku\":\"A\",\"quantity\":-1,\"unitPrice\":1}]}",
					"{\"paymentToken\":\"tok_visa\",\"items\":[{\"sku\":\"A\",\"quantity\":1,\"unitPrice\":1}]}", "not json")) {
				ResponseEntity<String> response = this.client.post()
					.uri("/checkout")
					.contentType(MediaType.APPLICATION_JSON)
					.body(body)
					.retrieve()
					.toEntity(String.class);
				assertThat(response.getStatusCode().value()).as(body).isEqualTo(400);
				assertThat(response.getHeaders().getContentType()).as(body)
					.isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
			}
			assertThat(starts).isEmpty();
		}
		finally {
			this.bus.detach("invalid-body-test");
		}
	}

	private ResponseEntity<Map<String, Object>> checkout(String token, String traceparent) {
		RestClient.RequestBodySpec request = this.client.post()
			.uri("/checkout")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("customerId", "c-42", "paymentToken", token, "items",
					List.of(Map.of("sku", "book", "quantity", 2, "unitPrice", 10), Map.of("sku", "pen", "quantity", 1,
							"unitPrice", 5))));
		if (traceparent != null) {
			request.header("traceparent", traceparent);
		}
		return request.retrieve().toEntity(new ParameterizedTypeReference<>() {
		});
	}

	private String status(String orderId) {
		return this.jdbc.sql("SELECT status FROM orders WHERE id = :id").param("id", orderId).query(String.class).single();
	}

	private static List<String> jobFailures(CapturedOutput output) {
		return output.getOut()
			.lines()
			.filter((line) -> line.contains("shop.failures") && line.contains("\"event\":\"shop.job.reconcile.exception\""))
			.toList();
	}

	private static String traceId(String failureLine) {
		Matcher matcher = Pattern.compile("\"trace_id\":\"([0-9a-f]{32})\"").matcher(failureLine);
		assertThat(matcher.find()).as(failureLine).isTrue();
		return matcher.group(1);
	}

	/**
	 * The JDBC query spans whose parent is the given span.
	 */
	private static List<SpanData> queries(List<SpanData> spans, SpanData parent) {
		return spans.stream()
			.filter((span) -> span.getName().equals(QUERY) && span.getParentSpanId().equals(parent.getSpanId()))
			.toList();
	}

	private static String statement(SpanData query) {
		return query.getAttributes().get(AttributeKey.stringKey("jdbc.query[0]"));
	}

	private List<SpanData> awaitSpans(String traceId, String... names) {
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(inTrace(traceId)).extracting(SpanData::getName).contains(names));
		return inTrace(traceId);
	}

	private List<SpanData> inTrace(String traceId) {
		return this.exporter.getFinishedSpanItems().stream().filter((span) -> span.getTraceId().equals(traceId)).toList();
	}

	private static SpanData span(List<SpanData> spans, String name) {
		return spans.stream()
			.filter((span) -> span.getName().equals(name))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no span " + name + " in " + spans.stream().map(SpanData::getName).toList()));
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class InMemorySpans {

		@Bean
		InMemorySpanExporter inMemorySpanExporter() {
			return InMemorySpanExporter.create();
		}

	}

}
