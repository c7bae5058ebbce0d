package dev.telemetry.sample.checkout;

/**
 * The payment provider declined the charge.
 *
 * @author telemetry-spring-boot
 */
public class PaymentDeclinedException extends RuntimeException {

	private final String orderId;

	PaymentDeclinedException(String orderId, String reason) {
		super("Payment for order " + orderId + " was declined: " + reason);
		this.orderId = orderId;
	}

	public String getOrderId() {
		return this.orderId;
	}

}
