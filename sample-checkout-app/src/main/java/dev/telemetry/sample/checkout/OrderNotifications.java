package dev.telemetry.sample.checkout;

import java.time.Duration;
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

import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;
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

	private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);

	private final BlockingQueue<Message> queue = new LinkedBlockingQueue<>(10_000);

	private final TraceContextCarrier carrier;

	private final TelemetryEventBus bus;

	private volatile Thread worker;

	private volatile boolean running;

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
		// Runs until stopped, then drains what is left: a confirmed order is always notified.
		while (this.running || !this.queue.isEmpty()) {
			try {
				Message message = this.queue.poll(200, TimeUnit.MILLISECONDS);
				if (message != null) {
					notify(message);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	private void notify(Message message) {
		this.carrier.continueTrace(message.headers(), "shop.order.notify", () -> {
			this.bus.execute(NOTIFIED, Map.of("total_cents", message.order().total().movePointRight(2).longValue()),
					Map.of("order_id", message.order().orderId()));
			logger.info("Notified customer of order " + message.order().orderId());
			return null;
		});
	}

	@Override
	public void start() {
		this.running = true;
		Thread thread = new Thread(this::consume, "order-notifications");
		thread.setDaemon(true);
		thread.start();
		this.worker = thread;
	}

	@Override
	public void stop() {
		this.running = false;
		Thread thread = this.worker;
		if (thread != null) {
			try {
				thread.join(DRAIN_TIMEOUT.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			if (thread.isAlive()) {
				logger.warn("Notification queue not drained within " + DRAIN_TIMEOUT + "; " + this.queue.size()
						+ " orders not notified");
				thread.interrupt();
			}
		}
		this.worker = null;
	}

	@Override
	public boolean isRunning() {
		return this.worker != null;
	}

	/**
	 * Stop after the web server, so that orders placed by requests still finishing during its
	 * graceful shutdown are notified too.
	 */
	@Override
	public int getPhase() {
		return WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE - 2048;
	}

	private record Message(Map<String, String> headers, Order order) {
	}

}
