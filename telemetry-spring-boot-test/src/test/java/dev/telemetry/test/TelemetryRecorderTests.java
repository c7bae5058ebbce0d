package dev.telemetry.test;

import java.util.Map;

import dev.telemetry.EventName;
import dev.telemetry.TelemetrySpanContext;
import dev.telemetry.bus.DefaultTelemetryEventBus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class TelemetryRecorderTests {

	private final DefaultTelemetryEventBus bus = new DefaultTelemetryEventBus();

	// Without names, every event is recorded, with copies of its maps, in emission order.
	@Test
	void recordsEveryEventWhenNoNameIsGiven() {
		try (TelemetryRecorder recorder = TelemetryRecorder.attach(this.bus)) {
			this.bus.execute("shop.checkout.stop", Map.of("duration", 12L), Map.of("customer_id", "c-42"));
			this.bus.execute("db.query", Map.of(), Map.of());
			assertThat(recorder.events()).extracting(RecordedEvent::name)
				.containsExactly(EventName.parse("shop.checkout.stop"), EventName.parse("db.query"));
			RecordedEvent stop = recorder.events().get(0);
			assertThat(stop.measurements()).containsExactly(Map.entry("duration", 12L));
			assertThat(stop.metadata()).containsExactly(Map.entry("customer_id", "c-42"));
			assertThat(stop.thread()).isEqualTo(Thread.currentThread().getName());
			assertThat(stop.traceId()).isNull();
		}
	}

	// Names and patterns limit what is recorded; events(name) takes a name or a pattern, as emitted(name) does.
	@Test
	void recordsOnlyTheNamesAndPatternsGiven() {
		try (TelemetryRecorder recorder = TelemetryRecorder.attach(this.bus, "shop.**", "db.query")) {
			this.bus.execute("shop.checkout.stop", Map.of(), Map.of());
			this.bus.execute("shop.payment.stop", Map.of(), Map.of());
			this.bus.execute("db.query", Map.of(), Map.of());
			this.bus.execute("http.server.requests.stop", Map.of(), Map.of());
			assertThat(recorder.events()).hasSize(3);
			assertThat(recorder.events("shop.checkout.stop")).singleElement()
				.extracting(RecordedEvent::name)
				.isEqualTo(EventName.parse("shop.checkout.stop"));
			assertThat(recorder.events("shop.checkout")).isEmpty();
			assertThat(recorder.events("shop.*.stop")).extracting(RecordedEvent::name)
				.containsExactly(EventName.parse("shop.checkout.stop"), EventName.parse("shop.payment.stop"));
		}
	}

	// The trace id comes from the span context that span events carry.
	@Test
	void readsTheTraceIdOfSpanEvents() {
		try (TelemetryRecorder recorder = TelemetryRecorder.attach(this.bus)) {
			this.bus.execute("shop.checkout.stop", Map.of(), Map.of(TelemetrySpanContext.METADATA_KEY,
					TelemetrySpanContext.of("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7")));
			assertThat(recorder.events()).singleElement()
				.extracting(RecordedEvent::traceId)
				.isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
		}
	}

	// Clearing forgets what was recorded and keeps recording; closing detaches.
	@Test
	void clearsAndDetaches() {
		TelemetryRecorder recorder = TelemetryRecorder.attach(this.bus, "shop.**");
		this.bus.execute("shop.checkout.stop", Map.of(), Map.of());
		recorder.clear();
		assertThat(recorder.events()).isEmpty();
		this.bus.execute("shop.checkout.start", Map.of(), Map.of());
		assertThat(recorder.events()).hasSize(1);
		assertThat(this.bus.listHandlers()).hasSize(1);
		recorder.close();
		assertThat(this.bus.listHandlers()).isEmpty();
		this.bus.execute("shop.checkout.stop", Map.of(), Map.of());
		assertThat(recorder.events()).hasSize(1);
	}

	// Each recorder has its own handler id, so several can watch one bus.
	@Test
	void severalRecordersOnOneBus() {
		try (TelemetryRecorder first = TelemetryRecorder.attach(this.bus);
				TelemetryRecorder second = TelemetryRecorder.attach(this.bus, "shop.checkout.stop")) {
			this.bus.execute("shop.checkout.stop", Map.of(), Map.of());
			assertThat(first.events()).hasSize(1);
			assertThat(second.events()).hasSize(1);
		}
	}

	// A bad name is refused when attaching, naming the bad part.
	@Test
	void refusesBadNames() {
		assertThatIllegalArgumentException().isThrownBy(() -> TelemetryRecorder.attach(this.bus, "shop checkout"))
			.withMessageContaining("shop checkout");
	}

	// A recorder attached by hand records no spans.
	@Test
	void recordsNoSpansWithoutSpring() {
		try (TelemetryRecorder recorder = TelemetryRecorder.attach(this.bus)) {
			assertThat(recorder.spans()).isEmpty();
		}
	}

}
