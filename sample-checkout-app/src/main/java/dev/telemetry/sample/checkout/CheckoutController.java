package dev.telemetry.sample.checkout;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.telemetry.EventName;
import dev.telemetry.SpanResult;
import dev.telemetry.TelemetryEventBus;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Places orders inside a {@code shop.checkout} span.
 *
 * @author telemetry-spring-boot
 */
@RestController
class CheckoutController {

	private static final EventName CHECKOUT = EventName.parse("shop.checkout");

	private final TelemetryEventBus bus;

	CheckoutController(TelemetryEventBus bus) {
		this.bus = bus;
	}

	@PostMapping("/checkout")
	@ResponseStatus(HttpStatus.CREATED)
	Map<String, Object> checkout(@RequestBody CheckoutRequest request) {
		return this.bus.spanWithStop(CHECKOUT, Map.of("cart_size", request.items().size()), () -> {
			String orderId = UUID.randomUUID().toString();
			return SpanResult.of(Map.of("orderId", orderId, "status", "CONFIRMED"), Map.of("items", request.items().size()),
					Map.of("outcome", "confirmed"));
		});
	}

	record CheckoutRequest(String customerId, List<Item> items) {
	}

	record Item(String sku, int quantity) {
	}

}
