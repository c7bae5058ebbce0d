package dev.telemetry.sample.checkout;

import java.math.BigDecimal;

/**
 * A confirmed order.
 *
 * @param orderId the order id
 * @param customerId the customer
 * @param total what was charged
 * @param itemCount how many lines the cart had
 * @param paymentReference the payment provider's reference
 * @author telemetry-spring-boot
 */
public record Order(String orderId, String customerId, BigDecimal total, int itemCount, String paymentReference) {
}
