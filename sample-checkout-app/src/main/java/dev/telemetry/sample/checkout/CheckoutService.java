package dev.telemetry.sample.checkout;

import java.util.Map;
import java.util.UUID;

import dev.telemetry.EventName;
import dev.telemetry.TelemetryEvent;
import dev.telemetry.TelemetryEventBus;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.jms.JmsException;
import org.springframework.stereotype.Service;

/**
 * The business operation: charge the customer, store the confirmed order, start fulfilment and
 * send the order's notification.
 *
 * @author telemetry-spring-boot
 */
@Service
public class CheckoutService {

	static final EventName COMPLETED = EventName.parse("shop.checkout.completed");

	private static final Log logger = LogFactory.getLog(CheckoutService.class);

	private final PaymentClient payments;

	private final Orders orders;

	private final FulfillmentService fulfillment;

	private final OrderNotifications notifications;

	private final TelemetryEventBus bus;

	CheckoutService(PaymentClient payments, Orders orders, FulfillmentService fulfillment,
			OrderNotifications notifications, TelemetryEventBus bus) {
		this.payments = payments;
		this.orders = orders;
		this.fulfillment = fulfillment;
		this.notifications = notifications;
		this.bus = bus;
	}

	/**
	 * Place an order. The customer id is high-cardinality: fine on events and spans, never a default
	 * metric tag. The payment token is in the metadata on purpose, to show that it never leaves as
	 * itself: span attributes and the failure log redact it.
	 * @param request the checkout
	 * @return the confirmed order
	 * @throws PaymentDeclinedException if the provider declines
	 */
	@TelemetryEvent(value = "shop.checkout",
			metadata = { "customer_id=#request.customerId()", "cart_size=#request.items().size()",
					"payment_method=#request.paymentMethod()", "payment_token=#request.paymentToken()" },
			stopMetadata = { "order_id=#result.orderId()", "outcome='confirmed'" })
	public Order checkout(CheckoutRequest request) {
		long started = System.nanoTime();
		String orderId = UUID.randomUUID().toString();
		PaymentClient.PaymentResult payment = this.payments.charge(orderId, request.total(), request.paymentToken());
		if (!payment.approved()) {
			throw new PaymentDeclinedException(orderId, payment.reason());
		}
		Order order = new Order(orderId, request.customerId(), request.total(), request.items().size(),
				payment.reference());
		this.orders.save(order);
		this.bus.execute(COMPLETED, Map.of("processing_time", System.nanoTime() - started),
				Map.of("cart_size", order.itemCount(), "payment_method", request.paymentMethod()));
		this.fulfillment.fulfill(order);
		try {
			this.notifications.publish(order);
		}
		catch (JmsException ex) {
			// The customer has paid: the order stands, and the reconcile job sends the notification later.
			logger.warn("Order " + orderId + " is confirmed but its notification was not sent (" + ex.getMessage()
					+ "); the reconcile job will send it");
		}
		return order;
	}

}
