package dev.telemetry.sample.checkout;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.telemetry.EventName;
import dev.telemetry.TelemetryEvent;
import dev.telemetry.TelemetryEventBus;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.jms.annotation.JmsListener;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.stereotype.Component;

/**
 * Tells customers that their order is confirmed, through a JMS queue on the broker (Artemis,
 * embedded by default). Nothing here carries the trace by hand: Boot observes the
 * {@link JmsTemplate} it builds (a PRODUCER span that writes {@code traceparent} into the message
 * properties) and the {@link JmsListener @JmsListener} container (a CONSUMER span that continues
 * it), so the notification is a span of the checkout's trace.
 *
 * @author telemetry-spring-boot
 */
@Component
public class OrderNotifications {

	/**
	 * The queue of orders to notify.
	 */
	public static final String QUEUE = "shop.order.notifications";

	static final EventName NOTIFIED = EventName.parse("shop.order.notified");

	private static final Log logger = LogFactory.getLog(OrderNotifications.class);

	private final JmsTemplate jms;

	private final Orders orders;

	private final TelemetryEventBus bus;

	private final Duration retryAfter;

	OrderNotifications(JmsTemplate jms, Orders orders, TelemetryEventBus bus,
			@Value("${shop.reconcile.period:30s}") Duration retryAfter) {
		this.jms = jms;
		this.orders = orders;
		this.bus = bus;
		this.retryAfter = retryAfter;
	}

	/**
	 * Send the notification of a confirmed order.
	 * @param order the order
	 */
	public void publish(Order order) {
		this.jms.convertAndSend(QUEUE, order.orderId());
	}

	/**
	 * Notify the customer of an order, once, however often its message arrives.
	 * @param orderId the order
	 */
	@JmsListener(destination = QUEUE)
	@TelemetryEvent(value = "shop.order.notify", metadata = "order_id=#orderId")
	public void notifyCustomer(String orderId) {
		if (!this.orders.markNotified(orderId)) {
			logger.debug("Order " + orderId + " is unknown or notified already");
			return;
		}
		this.orders.find(orderId).ifPresent((order) -> {
			this.bus.execute(NOTIFIED, Map.of("total_cents", order.total().movePointRight(2).longValue()),
					Map.of("order_id", orderId));
			logger.info("Notified customer of order " + orderId);
		});
	}

	/**
	 * Send again the notification of every order confirmed more than one
	 * {@code shop.reconcile.period} ago and still not notified: its first message was not sent (the
	 * broker was down), or was lost with the broker.
	 * @param job the job's name
	 * @param attempt 1, or one more than the runs that failed in a row before this one
	 * @return how many notifications were sent again
	 */
	@TelemetryEvent(value = "shop.job.reconcile", metadata = { "job=#job", "attempt=#attempt" },
			stopMetadata = "retry_count=#result")
	public int resendUnnotified(String job, int attempt) {
		List<Order> unnotified = this.orders.notNotifiedBefore(Instant.now().minus(this.retryAfter));
		for (Order order : unnotified) {
			publish(order);
		}
		if (!unnotified.isEmpty()) {
			logger.info("Sent " + unnotified.size() + " order notifications again");
		}
		return unnotified.size();
	}

}
