package dev.telemetry.sample.checkout;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * A stand-in payment provider served by this same app, so that one process shows a
 * cross-service hop: it approves every token but {@code tok_declined}, after
 * {@code shop.payment.provider-delay}.
 *
 * @author telemetry-spring-boot
 */
@RestController
class PaymentProviderController {

	private final Duration delay;

	PaymentProviderController(@Value("${shop.payment.provider-delay:20ms}") Duration delay) {
		this.delay = delay;
	}

	@PostMapping("/payment-provider/charges")
	ResponseEntity<Map<String, String>> charge(@RequestBody Map<String, Object> charge) throws InterruptedException {
		Thread.sleep(this.delay.toMillis());
		if ("tok_declined".equals(charge.get("token"))) {
			return ResponseEntity.status(402).body(Map.of("status", "DECLINED", "reason", "card declined"));
		}
		return ResponseEntity.ok(Map.of("status", "APPROVED", "reference", "ch_" + UUID.randomUUID()));
	}

}
