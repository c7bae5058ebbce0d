package dev.telemetry.sample.checkout;

import java.util.LinkedHashMap;
import java.util.Map;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import jakarta.validation.Valid;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /checkout}: 201 with the order, 402 when the payment is declined, 400 problem
 * details for an invalid body. Every answer carries the trace id, so a support ticket can name it.
 *
 * @author telemetry-spring-boot
 */
@RestController
class CheckoutController {

	private final CheckoutService checkout;

	private final Tracer tracer;

	CheckoutController(CheckoutService checkout, Tracer tracer) {
		this.checkout = checkout;
		this.tracer = tracer;
	}

	@PostMapping("/checkout")
	ResponseEntity<Map<String, Object>> checkout(@Valid @RequestBody CheckoutRequest request) {
		Order order = this.checkout.checkout(request);
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("orderId", order.orderId());
		body.put("status", "CONFIRMED");
		body.put("total", order.total());
		body.put("traceId", traceId());
		return ResponseEntity.status(HttpStatus.CREATED).body(body);
	}

	@ExceptionHandler(PaymentDeclinedException.class)
	ResponseEntity<Map<String, Object>> declined(PaymentDeclinedException ex) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("orderId", ex.getOrderId());
		body.put("status", "DECLINED");
		body.put("reason", "The payment provider declined the card");
		body.put("traceId", traceId());
		return ResponseEntity.status(HttpStatus.PAYMENT_REQUIRED).body(body);
	}

	private String traceId() {
		Span span = this.tracer.currentSpan();
		return (span != null) ? span.context().traceId() : "";
	}

}
