package dev.telemetry;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RedactionTests {

	private final Redaction redaction = Redaction.defaults();

	// A key containing a default word, in any case, is sensitive; others are not.
	@Test
	void defaultWords() {
		assertThat(List.of("password", "payment_token", "Authorization", "Set-Cookie", "card_number", "cvv", "iban",
				"client_secret"))
			.allMatch(this.redaction::isSensitive);
		assertThat(List.of("customer_id", "cart_size", "payment_method", "outcome"))
			.noneMatch(this.redaction::isSensitive);
	}

	// apply replaces only the values of sensitive keys.
	@Test
	void apply() {
		assertThat(this.redaction.apply("payment_token", "tok_visa")).isEqualTo(Redaction.REDACTED);
		assertThat(this.redaction.apply("customer_id", "c-1")).isEqualTo("c-1");
	}

	// Configured words replace the defaults.
	@Test
	void configuredWords() {
		Redaction custom = Redaction.of(List.of("SSN"));
		assertThat(custom.isSensitive("customer_ssn")).isTrue();
		assertThat(custom.isSensitive("payment_token")).isFalse();
	}

}
