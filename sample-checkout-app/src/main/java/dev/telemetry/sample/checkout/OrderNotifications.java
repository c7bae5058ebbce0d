package dev.telemetry.sample.checkout;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.telemetry.EventName;
import dev.telemetry.TelemetryEventBus;
import dev.telemetry.TraceContextCarrier;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Hands confirmed orders to a worker thread through an in-memory queue, as a message broker would:
 * the trace crosses only through the message headers ({@link TraceContextCarrier#inject}) and is
 * continued on the consumer side ({@link TraceContextCarrier#continueTrace}).
 *
 * @author telemetry-spring-boot
 */
@Component
public class OrderNotifications implements SmartLifecycle {

	static final EventName NOTIFIED = EventName.parse("shop.order.notified");

	private static final Log logger = LogFactory.getLog(OrderNotifications.class);

	private final BlockingQueue<Message> queue = new LinkedBlockingQueue<>(10_000);

	private final TraceContextCarrier carrier;

	private final TelemetryEventBus bus;

	private volatile Thread worker;

	OrderNotifications(TraceContextCarrier carrier, TelemetryEventBus bus) {
		this.carrier = carrier;
		this.bus = bus;
	}

	void publish(Order order) {
		Map<String, String> headers = new HashMap<>();
		this.carrier.inject(headers);
		if (!this.queue.offer(new Message(headers, order))) {
			logger.warn("Notification queue full; order " + order.orderId() + " not notified");
		}
	}

	private void consume() {
		while (!Thread.currentThread().isInterrupted()) {
			try {
				Message message = this.queue.poll(200, TimeUnit.MILLISECONDS);
				if (message != null) {
					this.carrier.continueTrace(message.headers(), "shop.order.notify", () -> {
						this.bus.execute(NOTIFIED, Map.of("total_cents", message.order().total().movePointRight(2).longValue()),
								Map.of("order_id", message.order().orderId()));
						logger.info("Notified customer of order " + message.order().orderId());
						return null;
					});
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public void start() {
		Thread thread = new Thread(this::consume, "order-notifications");
		thread.setDaemon(true);
		thread.start();
		this.worker = thread;
	}

	@Override
	public void stop() {
		Thread thread = this.worker;
		if (thread != null) {
			thread.interrupt();
		}
		this.worker = null;
	}

	@Override
	public boolean isRunning() {
		return this.worker != null;
	}

	private record Message(Map<String, String> headers, Order order) {
	}

}
