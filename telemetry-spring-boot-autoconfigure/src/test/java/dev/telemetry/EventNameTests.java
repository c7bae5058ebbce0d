package dev.telemetry;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class EventNameTests {

	private static final List<EventName> EMITTED = List.of(EventName.parse("shop.checkout.stop"),
			EventName.parse("shop.checkout.start"), EventName.parse("shop.payment.stop"), EventName.parse("db.query"));

	// A dotted name is split into its segments and printed back the same way.
	@Test
	void parsesAndPrintsDottedNames() {
		EventName name = EventName.parse("shop.checkout.stop");
		assertThat(name.segments()).containsExactly("shop", "checkout", "stop");
		assertThat(name).hasToString("shop.checkout.stop");
		assertThat(EventName.parse(name.toString())).isEqualTo(name);
	}

	// Names are equal, and hash alike, exactly when their segments are.
	@Test
	void equalsBySegments() {
		assertThat(EventName.of("a", "b")).isEqualTo(EventName.parse("a.b")).hasSameHashCodeAs(EventName.parse("a.b"));
		assertThat(EventName.of("a", "b")).isNotEqualTo(EventName.of("a", "b", "c")).isNotEqualTo(EventName.of("b", "a"));
	}

	// A name needs at least one segment.
	@Test
	void refusesNoSegment() {
		assertThatIllegalArgumentException().isThrownBy(EventName::of).withMessageContaining("at least one segment");
		assertThatIllegalArgumentException().isThrownBy(() -> EventName.parse("")).withMessageContaining("empty");
	}

	// A bad segment is refused, and the message names it.
	@Test
	void refusesBadSegmentsNamingThem() {
		assertThatIllegalArgumentException().isThrownBy(() -> EventName.parse("shop.check out"))
			.withMessageContaining("'check out'");
		assertThatIllegalArgumentException().isThrownBy(() -> EventName.parse("shop..stop"))
			.withMessageContaining("segment 2 is empty");
		assertThatIllegalArgumentException().isThrownBy(() -> EventName.parse("shop.stop."))
			.withMessageContaining("segment 3 is empty");
		assertThatIllegalArgumentException().isThrownBy(() -> EventName.of("shop", "é"))
			.withMessageContaining("'é'");
	}

	// '**' is only allowed as the last segment; '*' anywhere.
	@Test
	void allowsDoubleStarOnlyLast() {
		assertThatIllegalArgumentException().isThrownBy(() -> EventName.parse("shop.**.stop"))
			.withMessageContaining("'**' is only allowed as the last segment");
		assertThat(EventName.parse("*.checkout.**").isPattern()).isTrue();
		assertThat(EventName.parse("shop.checkout").isPattern()).isFalse();
	}

	// append adds one validated segment and leaves the original unchanged.
	@Test
	void appendsOneSegment() {
		EventName prefix = EventName.parse("shop.checkout");
		assertThat(prefix.append("stop")).isEqualTo(EventName.parse("shop.checkout.stop"));
		assertThat(prefix).hasToString("shop.checkout");
		assertThatIllegalArgumentException().isThrownBy(() -> prefix.append("st.op"));
		assertThatIllegalArgumentException().isThrownBy(() -> EventName.parse("shop.**").append("stop"));
	}

	// startsWith compares leading segments, not characters.
	@Test
	void startsWithComparesSegments() {
		EventName name = EventName.parse("shop.checkout.stop");
		assertThat(name.startsWith(EventName.parse("shop"))).isTrue();
		assertThat(name.startsWith(name)).isTrue();
		assertThat(name.startsWith(EventName.parse("sho"))).isFalse();
		assertThat(name.startsWith(EventName.parse("shop.checkout.stop.more"))).isFalse();
	}

	// '*' matches exactly one segment, a last '**' one or more, a plain name only itself.
	@Test
	void matchesPatterns() {
		EventName stop = EventName.parse("shop.checkout.stop");
		assertThat(EventName.parse("shop.*.stop").matches(stop)).isTrue();
		assertThat(EventName.parse("shop.*").matches(stop)).isFalse();
		assertThat(EventName.parse("shop.**").matches(stop)).isTrue();
		assertThat(EventName.parse("shop.checkout.stop.**").matches(stop)).isFalse();
		assertThat(EventName.parse("shop.**").matches(EventName.parse("shop"))).isFalse();
		assertThat(EventName.parse("shop.checkout").matches(stop)).isFalse();
		assertThat(stop.matches(stop)).isTrue();
	}

	// Two names overlap when some concrete name matches both, patterns on either side.
	@Test
	void overlapsWhenSomeNameMatchesBoth() {
		EventName any = EventName.parse("http.server.requests.*");
		assertThat(EventName.parse("http.server.requests.stop").overlaps(any)).isTrue();
		assertThat(EventName.parse("http.*.requests.stop").overlaps(any)).isTrue();
		assertThat(EventName.parse("http.**").overlaps(any)).isTrue();
		assertThat(any.overlaps(EventName.parse("http.**"))).isTrue();
		assertThat(EventName.parse("http.server.requests").overlaps(any)).isFalse();
		assertThat(EventName.parse("http.server.requests.stop.late").overlaps(any)).isFalse();
		assertThat(EventName.parse("http.client.requests.stop").overlaps(any)).isFalse();
		assertThat(EventName.parse("http.server.requests.**").overlaps(any)).isTrue();
		assertThat(EventName.parse("a.b").overlaps(EventName.parse("a.b"))).isTrue();
	}

	// A name one or two edits from an emitted name has it as a near miss, nearest first.
	@Test
	void nearMissesAreNamesOneOrTwoEditsAway() {
		assertThat(EventName.parse("shop.chekout.stop").nearMisses(EMITTED)).map(EventName::toString)
			.containsExactly("shop.checkout.stop");
		assertThat(EventName.parse("shop.checkout.stat").nearMisses(EMITTED)).map(EventName::toString)
			.containsExactly("shop.checkout.start", "shop.checkout.stop");
	}

	// Wildcards cost nothing, so a pattern with a typo elsewhere still finds its names.
	@Test
	void nearMissesOfPatternsTreatWildcardsAsFree() {
		assertThat(EventName.parse("shop.*.sotp").nearMisses(EMITTED)).map(EventName::toString)
			.containsExactly("shop.checkout.stop", "shop.payment.stop");
		assertThat(EventName.parse("shp.**").nearMisses(EMITTED)).map(EventName::toString)
			.containsExactly("shop.checkout.start", "shop.checkout.stop", "shop.payment.stop");
	}

	// Names that are far off, of another length, or matched exactly are not near misses.
	@Test
	void nearMissesLeaveOutFarAndMatchingNames() {
		assertThat(EventName.parse("billing.invoice.sent").nearMisses(EMITTED)).isEmpty();
		assertThat(EventName.parse("shop.checkout").nearMisses(EMITTED)).isEmpty();
		assertThat(EventName.parse("shop.checkout.stop").nearMisses(EMITTED)).isEmpty();
	}

	// Edit distance counts insertions, deletions and substitutions.
	@Test
	void levenshtein() {
		assertThat(EventName.levenshtein("checkout", "chekout")).isEqualTo(1);
		assertThat(EventName.levenshtein("stop", "start")).isEqualTo(3);
		assertThat(EventName.levenshtein("", "abc")).isEqualTo(3);
	}

}
