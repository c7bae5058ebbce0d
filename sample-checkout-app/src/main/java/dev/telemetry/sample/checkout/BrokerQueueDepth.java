package dev.telemetry.sample.checkout;

import java.util.Map;

import dev.telemetry.EventName;
import dev.telemetry.PolledMeasurement;
import dev.telemetry.TelemetryEventBus;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Emits {@code shop.broker.queue} ({@code queue_depth}: messages on the queue, those handed to a
 * consumer and not yet acknowledged included; {@code consumers}) for the notification queue every
 * {@code telemetry.poller.period}, read from the embedded broker. With an external broker
 * ({@code spring.artemis.mode=native}, {@code spring.artemis.embedded.enabled=false}) there is no
 * embedded broker to read and nothing is emitted: the broker publishes its own metrics.
 *
 * @author telemetry-spring-boot
 */
@Component
class BrokerQueueDepth implements PolledMeasurement {

	static final EventName QUEUE = EventName.parse("shop.broker.queue");

	private final ObjectProvider<EmbeddedActiveMQ> broker;

	BrokerQueueDepth(ObjectProvider<EmbeddedActiveMQ> broker) {
		this.broker = broker;
	}

	@Override
	public void measure(TelemetryEventBus bus) {
		EmbeddedActiveMQ embedded = this.broker.getIfAvailable();
		Queue queue = (embedded != null && embedded.getActiveMQServer() != null)
				? embedded.getActiveMQServer().locateQueue(OrderNotifications.QUEUE) : null;
		if (queue != null) {
			bus.execute(QUEUE, Map.of("queue_depth", queue.getMessageCount(), "consumers", queue.getConsumerCount()),
					Map.of("queue", OrderNotifications.QUEUE));
		}
	}

	@Override
	public String toString() {
		return "broker queue " + OrderNotifications.QUEUE;
	}

}
