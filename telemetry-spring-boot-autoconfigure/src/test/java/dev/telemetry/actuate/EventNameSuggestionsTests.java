package dev.telemetry.actuate;

import java.util.List;

import dev.telemetry.EventName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EventNameSuggestionsTests {

	private static final List<EventName> EMITTED = List.of(EventName.parse("shop.checkout.stop"),
			EventName.parse("shop.checkout.start"), EventName.parse("shop.payment.stop"), EventName.parse("db.query"));

	// A name one or two edits from an emitted name suggests it, nearest first.
	@Test
	void suggestsNearMisses() {
		assertThat(EventNameSuggestions.suggest(EventName.parse("shop.chekout.stop"), EMITTED))
			.containsExactly("shop.checkout.stop");
		assertThat(EventNameSuggestions.suggest(EventName.parse("shop.checkout.stat"), EMITTED))
			.containsExactly("shop.checkout.start", "shop.checkout.stop");
	}

	// Wildcards cost nothing, so a pattern with a typo elsewhere still finds its names.
	@Test
	void wildcardsAreFree() {
		assertThat(EventNameSuggestions.suggest(EventName.parse("shop.*.sotp"), EMITTED))
			.containsExactly("shop.checkout.stop", "shop.payment.stop");
		assertThat(EventNameSuggestions.suggest(EventName.parse("shp.**"), EMITTED))
			.containsExactly("shop.checkout.start", "shop.checkout.stop", "shop.payment.stop");
	}

	// Names that are far off, or of another length, are not suggested.
	@Test
	void ignoresFarNames() {
		assertThat(EventNameSuggestions.suggest(EventName.parse("billing.invoice.sent"), EMITTED)).isEmpty();
		assertThat(EventNameSuggestions.suggest(EventName.parse("shop.checkout"), EMITTED)).isEmpty();
	}

	// Edit distance counts insertions, deletions and substitutions.
	@Test
	void levenshtein() {
		assertThat(EventNameSuggestions.levenshtein("checkout", "chekout")).isEqualTo(1);
		assertThat(EventNameSuggestions.levenshtein("stop", "start")).isEqualTo(3);
		assertThat(EventNameSuggestions.levenshtein("", "abc")).isEqualTo(3);
	}

}
