package dev.telemetry.sample.checkout;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.telemetry.TelemetryEvent;

import org.springframework.scheduling.annotation.Async;
import org.springframework.stereotype.Service;

/**
 * Fulfils confirmed orders in the background. Runs on Boot's {@code applicationTaskExecutor}; the
 * starter carries the request's trace into it, so its span and log lines belong to that trace.
 *
 * @author telemetry-spring-boot
 */
@Service
public class FulfillmentService {

	private static final Log logger = LogFactory.getLog(FulfillmentService.class);

	@Async
	@TelemetryEvent(value = "shop.fulfillment", metadata = { "order_id=#order.orderId()", "items=#order.itemCount()" })
	public void fulfill(Order order) {
		logger.info("Fulfilling order " + order.orderId());
	}

}
