package dev.telemetry.sample.checkout;

import java.math.BigDecimal;
import java.util.Map;

import dev.telemetry.TelemetryEvent;

import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

/**
 * Charges a payment provider over HTTP. The {@link RestClient} comes from Boot's builder, so the
 * call is observed (an HTTP client span) and carries {@code traceparent} to the provider.
 *
 * @author telemetry-spring-boot
 */
@Component
public class PaymentClient {

	private final RestClient restClient;

	private final Environment environment;

	PaymentClient(RestClient.Builder builder, Environment environment) {
		this.restClient = builder.defaultStatusHandler((status) -> status.value() == 402, (request, response) -> {
		}).build();
		this.environment = environment;
	}

	/**
	 * Charge an amount. A decline is an answer, not a failure of the call.
	 * @param orderId the order
	 * @param amount the amount
	 * @param token the card token
	 * @return the provider's answer
	 */
	@TelemetryEvent(value = "shop.payment.charge", metadata = "amount=#amount.doubleValue()",
			stopMetadata = "approved=#result.approved()")
	public PaymentResult charge(String orderId, BigDecimal amount, String token) {
		// Read at call time: the default points at this app's own port, known only once it listens.
		String baseUrl = this.environment.getRequiredProperty("shop.payment.base-url");
		ProviderAnswer answer = this.restClient.post()
			.uri(baseUrl + "/charges")
			.body(Map.of("orderId", orderId, "amount", amount, "token", token))
			.retrieve()
			.body(ProviderAnswer.class);
		if (answer == null) {
			return new PaymentResult(false, "", "empty answer from the payment provider");
		}
		return new PaymentResult("APPROVED".equals(answer.status()), answer.reference(), answer.reason());
	}

	/**
	 * The provider's answer.
	 *
	 * @param approved whether the charge went through
	 * @param reference the provider's reference
	 * @param reason why it was declined
	 */
	public record PaymentResult(boolean approved, String reference, String reason) {
	}

	record ProviderAnswer(String status, String reference, String reason) {
	}

}
