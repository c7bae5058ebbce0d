package dev.telemetry.bus;

import java.util.List;

import dev.telemetry.EventName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HandlerRegistrationTests {

	private static final EventName ALL = EventName.parse("shop.**");

	private final EventCatalog catalog = new EventCatalog(1000);

	// A handler attached by pattern counts its calls from a baseline with an entry per catalogued name.
	@Test
	void countsInvocationsFromBaselinePerName() {
		emit("shop.a", 2);
		HandlerRegistration registration = attached();
		emit("shop.a", 1);
		emit("shop.b", 3);
		assertThat(registration.baseline).containsOnlyKeys(EventName.parse("shop.a"));
		assertThat(registration.invocations(this.catalog)).isEqualTo(4);
	}

	// Detached, it keeps its count but drops that baseline, so the history of detached handlers
	// holds no entry per event name.
	@Test
	void keepsCountButNoBaselineOnceFrozen() {
		for (int i = 0; i < 500; i++) {
			emit("shop.n" + i, 1);
		}
		HandlerRegistration registration = attached();
		assertThat(registration.baseline).hasSize(500);
		emit("shop.n1", 2);
		registration.freezeInvocations(this.catalog);
		emit("shop.n1", 5);
		assertThat(registration.baseline).isEmpty();
		assertThat(registration.invocations(this.catalog)).isEqualTo(2);
	}

	private HandlerRegistration attached() {
		HandlerRegistration registration = new HandlerRegistration("all", List.of(ALL), (e, m, md, c) -> {
		}, null, 1, "test");
		registration.takeBaseline(this.catalog);
		return registration;
	}

	private void emit(String name, int times) {
		EventCatalog.Entry entry = this.catalog.entryFor(EventName.parse(name));
		for (int i = 0; i < times; i++) {
			entry.record();
		}
	}

}
