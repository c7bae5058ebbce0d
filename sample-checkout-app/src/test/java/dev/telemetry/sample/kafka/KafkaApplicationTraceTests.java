package dev.telemetry.sample.kafka;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.telemetry.test.RecordedSpan;
import dev.telemetry.test.TelemetryRecorder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.web.client.RestClient;

import static dev.telemetry.test.TelemetryAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One trace from an HTTP request through a Kafka record to the {@code @KafkaListener} that
 * consumes it, on a real broker in this JVM ({@code @EmbeddedKafka} starts an
 * {@code EmbeddedKafkaKraftBroker}). The test sets no {@code spring.kafka.*.observation-enabled}
 * property: the starter's defaults are what carry the trace across the broker.
 */
@SpringBootTest(classes = KafkaApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.tracing.baggage.remote-fields=tenant", "management.tracing.baggage.tag-fields=tenant",
				"management.tracing.baggage.correlation.fields=tenant",
				"spring.kafka.consumer.auto-offset-reset=earliest" })
@EmbeddedKafka(topics = KafkaApplication.TOPIC, partitions = 1)
@ExtendWith(OutputCaptureExtension.class)
class KafkaApplicationTraceTests {

	@LocalServerPort
	int port;

	@Autowired
	TelemetryRecorder recorder;

	@Autowired
	KafkaApplication.OrderListener listener;

	@BeforeEach
	void reset() {
		this.listener.received.clear();
	}

	// The server span, the producer span and the consumer span are one trace, each the parent of the next; the
	// allow-listed baggage reaches the listener and tags its span; the listener's log line has the trace id.
	@Test
	void oneTraceFromRequestThroughKafkaToListener(CapturedOutput output) throws Exception {
		String body = RestClient.create("http://localhost:" + this.port)
			.post()
			.uri("/orders/{id}", "o-42")
			.header("baggage", "tenant=acme")
			.retrieve()
			.body(String.class);
		assertThat(body).isEqualTo("sent o-42");

		KafkaApplication.OrderListener.Received received = this.listener.received.poll(30, TimeUnit.SECONDS);
		assertThat(received).isNotNull();
		assertThat(received.order()).isEqualTo("o-42");
		assertThat(received.tenant()).isEqualTo("acme");

		assertThat(this.recorder).within(Duration.ofSeconds(20))
			.trace(received.traceId())
			.containsSpans("http post /orders/{id}", "orders send", "orders process")
			.isUnbroken();
		List<RecordedSpan> spans = this.recorder.spans();
		RecordedSpan server = span(spans, "http post /orders/{id}");
		RecordedSpan producer = span(spans, "orders send");
		RecordedSpan consumer = span(spans, "orders process");
		assertThat(producer.kind()).isEqualTo("PRODUCER");
		assertThat(consumer.kind()).isEqualTo("CONSUMER");
		assertThat(producer.parentSpanId()).isEqualTo(server.spanId());
		assertThat(consumer.parentSpanId()).isEqualTo(producer.spanId());
		assertThat(consumer.attributes()).containsEntry("tenant", "acme");

		String line = output.getOut()
			.lines()
			.filter((candidate) -> candidate.contains("fulfilling order o-42"))
			.findFirst()
			.orElseThrow();
		assertThat(line).contains(received.traceId());
	}

	private static RecordedSpan span(List<RecordedSpan> spans, String name) {
		return spans.stream()
			.filter((span) -> span.name().equals(name))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no span " + name + " in " + spans));
	}

}
