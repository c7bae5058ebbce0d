package dev.telemetry.sample.checkout;

import java.math.BigDecimal;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;

/**
 * A checkout: who pays, with what, for which items.
 *
 * @param customerId the customer
 * @param paymentToken the payment provider's token for the card ({@code tok_visa}, ...)
 * @param items what is bought
 * @author telemetry-spring-boot
 */
public record CheckoutRequest(@NotBlank String customerId, @NotBlank String paymentToken,
		@NotEmpty List<@Valid @NotNull Item> items) {

	/**
	 * The payment method, a low-cardinality name fit for metric tags.
	 * @return {@code card} or {@code other}
	 */
	public String paymentMethod() {
		return this.paymentToken.startsWith("tok_") ? "card" : "other";
	}

	/**
	 * The total to charge.
	 * @return the sum of quantity times unit price
	 */
	public BigDecimal total() {
		BigDecimal total = BigDecimal.ZERO;
		for (Item item : this.items) {
			total = total.add(item.unitPrice().multiply(BigDecimal.valueOf(item.quantity())));
		}
		return total;
	}

	/**
	 * One line of the cart.
	 *
	 * @param sku the product
	 * @param quantity how many, at least one
	 * @param unitPrice the price of one
	 */
	public record Item(@NotBlank String sku, @Positive int quantity, @NotNull @PositiveOrZero BigDecimal unitPrice) {
	}

}
