package dev.telemetry.sample.kafka;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.micrometer.tracing.Baggage;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * An application that hands orders over Kafka as users write it: a controller sends with Boot's
 * {@link KafkaTemplate}, a {@link KafkaListener @KafkaListener} consumes, and no tracing or
 * Kafka observation property is set.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({ KafkaApplication.OrderController.class, KafkaApplication.OrderListener.class })
class KafkaApplication {

	static final String TOPIC = "orders";

	@RestController
	static class OrderController {

		private final KafkaTemplate<String, String> kafka;

		OrderController(KafkaTemplate<String, String> kafka) {
			this.kafka = kafka;
		}

		@PostMapping("/orders/{id}")
		String place(@PathVariable String id) throws Exception {
			this.kafka.send(TOPIC, id, id).get(10, TimeUnit.SECONDS);
			return "sent " + id;
		}

	}

	static class OrderListener {

		private static final Log logger = LogFactory.getLog(OrderListener.class);

		final BlockingQueue<Received> received = new LinkedBlockingQueue<>();

		private final Tracer tracer;

		OrderListener(Tracer tracer) {
			this.tracer = tracer;
		}

		@KafkaListener(topics = TOPIC, groupId = "order-fulfilment")
		void on(String order) {
			logger.info("fulfilling order " + order);
			Span span = this.tracer.currentSpan();
			Baggage tenant = this.tracer.getBaggage("tenant");
			this.received.add(new Received(order, (span != null) ? span.context().traceId() : null,
					(tenant != null) ? tenant.get() : null));
		}

		/**
		 * What the listener saw of one order: its trace id and the {@code tenant} baggage.
		 */
		record Received(String order, String traceId, String tenant) {
		}

	}

}
