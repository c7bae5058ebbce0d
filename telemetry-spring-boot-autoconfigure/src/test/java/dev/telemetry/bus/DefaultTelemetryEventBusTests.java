package dev.telemetry.bus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.telemetry.AttachedHandler;
import dev.telemetry.EventName;
import dev.telemetry.SpanResult;
import dev.telemetry.TelemetryEventBus;
import dev.telemetry.TelemetryHandler;
import dev.telemetry.actuate.BusStatistics;
import dev.telemetry.actuate.TelemetryEndpoint;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DefaultTelemetryEventBusTests {

	private static final EventName STOP = EventName.parse("shop.checkout.stop");

	private final DefaultTelemetryEventBus bus = new DefaultTelemetryEventBus();

	// A handler receives the event name, the measurements, the metadata and its config.
	@Test
	void deliversEventToAttachedHandler() {
		RecordingHandler handler = new RecordingHandler();
		this.bus.attach("h", STOP, handler, "config");
		this.bus.execute(STOP, Map.of("duration", 42L), Map.of("customer", "c-1"));
		RecordingHandler.Received received = handler.only();
		assertThat(received.event()).isEqualTo(STOP);
		assertThat(received.measurements()).containsExactly(Map.entry("duration", 42L));
		assertThat(received.metadata()).containsExactly(Map.entry("customer", "c-1"));
		assertThat(received.config()).isEqualTo("config");
	}

	// Handlers of one event run synchronously, in the caller's thread, in attach order.
	@Test
	void runsHandlersInAttachOrderInCallerThread() {
		List<String> calls = new ArrayList<>();
		for (String id : List.of("c", "a", "b")) {
			this.bus.attach(id, STOP, (e, m, md, c) -> calls.add(id + "@" + Thread.currentThread().getName()), null);
		}
		this.bus.execute(STOP, Map.of(), Map.of());
		String thread = Thread.currentThread().getName();
		assertThat(calls).containsExactly("c@" + thread, "a@" + thread, "b@" + thread);
	}

	// A prefix of the attached name, or a longer name, does not reach the handler.
	@Test
	void doesNotMatchPrefixOrLongerName() {
		RecordingHandler handler = new RecordingHandler();
		this.bus.attach("h", STOP, handler, null);
		this.bus.execute(EventName.parse("shop.checkout"), Map.of(), Map.of());
		this.bus.execute(EventName.parse("shop.checkout.stop.extra"), Map.of(), Map.of());
		this.bus.execute(EventName.parse("shop.checkout.start"), Map.of(), Map.of());
		assertThat(handler.received).isEmpty();
	}

	// A '*' segment matches exactly one segment.
	@Test
	void singleStarMatchesOneSegment() {
		RecordingHandler handler = new RecordingHandler();
		this.bus.attach("h", EventName.parse("shop.*.stop"), handler, null);
		this.bus.execute(STOP, Map.of(), Map.of());
		this.bus.execute(EventName.parse("shop.payment.stop"), Map.of(), Map.of());
		this.bus.execute(EventName.parse("shop.stop"), Map.of(), Map.of());
		this.bus.execute(EventName.parse("shop.a.b.stop"), Map.of(), Map.of());
		assertThat(handler.events()).containsExactly(STOP, EventName.parse("shop.payment.stop"));
	}

	// A last '**' matches one or more segments, never none.
	@Test
	void doubleStarMatchesOneOrMoreSegments() {
		RecordingHandler handler = new RecordingHandler();
		this.bus.attach("h", EventName.parse("shop.**"), handler, null);
		this.bus.execute(EventName.parse("shop"), Map.of(), Map.of());
		this.bus.execute(EventName.parse("shop.checkout"), Map.of(), Map.of());
		this.bus.execute(STOP, Map.of(), Map.of());
		this.bus.execute(EventName.parse("other.checkout"), Map.of(), Map.of());
		assertThat(handler.events()).containsExactly(EventName.parse("shop.checkout"), STOP);
	}

	// Pattern and exact handlers of one event run together in attach order.
	@Test
	void patternsAndExactNamesShareAttachOrder() {
		List<String> calls = new ArrayList<>();
		this.bus.attach("exact-1", STOP, (e, m, md, c) -> calls.add("exact-1"), null);
		this.bus.attach("pattern", EventName.parse("shop.**"), (e, m, md, c) -> calls.add("pattern"), null);
		this.bus.attach("exact-2", STOP, (e, m, md, c) -> calls.add("exact-2"), null);
		this.bus.execute(STOP, Map.of(), Map.of());
		assertThat(calls).containsExactly("exact-1", "pattern", "exact-2");
	}

	// A handler whose names match one event several times is called once for it.
	@Test
	void callsHandlerOncePerEvent() {
		RecordingHandler handler = new RecordingHandler();
		this.bus.attachMany("h", List.of(STOP, EventName.parse("shop.*.stop"), EventName.parse("shop.**"), STOP),
				handler, null);
		this.bus.execute(STOP, Map.of(), Map.of());
		assertThat(handler.received).hasSize(1);
	}

	// Executing a pattern is refused: patterns are for attaching only.
	@Test
	void refusesToExecutePattern() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.bus.execute(EventName.parse("shop.*"), Map.of(), Map.of()))
			.withMessageContaining("shop.*");
		assertThatIllegalArgumentException().isThrownBy(() -> this.bus.execute("shop.**", Map.of(), Map.of()));
	}

	// A dotted name executes like the parsed name; a bad one is refused naming it.
	@Test
	void executesDottedNames() {
		RecordingHandler handler = new RecordingHandler();
		this.bus.attach("h", STOP, handler, null);
		this.bus.execute("shop.checkout.stop", Map.of("n", 1), Map.of());
		this.bus.execute("shop.checkout.stop", Map.of("n", 2), Map.of());
		assertThat(handler.events()).containsExactly(STOP, STOP);
		assertThatIllegalArgumentException().isThrownBy(() -> this.bus.execute("shop checkout", Map.of(), Map.of()))
			.withMessageContaining("shop checkout");
	}

	// Handlers get read-only views, and the caller's maps are never changed.
	@Test
	void handlersCannotChangeCallerMaps() {
		Map<String, Number> measurements = new HashMap<>(Map.of("n", 1));
		Map<String, Object> metadata = new HashMap<>(Map.of("k", "v"));
		List<Throwable> refused = new ArrayList<>();
		this.bus.attach("h", STOP, (e, m, md, c) -> {
			try {
				m.put("n", 2);
			}
			catch (UnsupportedOperationException ex) {
				refused.add(ex);
			}
			try {
				md.clear();
			}
			catch (UnsupportedOperationException ex) {
				refused.add(ex);
			}
		}, null);
		this.bus.execute(STOP, measurements, metadata);
		assertThat(refused).hasSize(2);
		assertThat(measurements).containsExactly(Map.entry("n", 1));
		assertThat(metadata).containsExactly(Map.entry("k", "v"));
	}

	// An id already in use is refused and the first handler stays attached.
	@Test
	void refusesDuplicateId() {
		RecordingHandler first = new RecordingHandler();
		this.bus.attach("h", STOP, first, null);
		assertThatIllegalStateException().isThrownBy(() -> this.bus.attach("h", STOP, new RecordingHandler(), null))
			.withMessageContaining("'h'");
		this.bus.execute(STOP, Map.of(), Map.of());
		assertThat(first.received).hasSize(1);
	}

	// Detaching an unknown id answers false; a known id answers true once.
	@Test
	void detachAnswersWhetherHandlerWasAttached() {
		this.bus.attach("h", STOP, new RecordingHandler(), null);
		assertThat(this.bus.detach("unknown")).isFalse();
		assertThat(this.bus.detach("h")).isTrue();
		assertThat(this.bus.detach("h")).isFalse();
	}

	// attachMany attaches one handler to several events; detach removes it from all.
	@Test
	void attachManyAndDetachFromAll() {
		RecordingHandler handler = new RecordingHandler();
		EventName start = EventName.parse("shop.checkout.start");
		this.bus.attachMany("h", List.of(start, STOP), handler, null);
		this.bus.execute(start, Map.of(), Map.of());
		this.bus.execute(STOP, Map.of(), Map.of());
		assertThat(handler.events()).containsExactly(start, STOP);
		this.bus.detach("h");
		this.bus.execute(start, Map.of(), Map.of());
		this.bus.execute(STOP, Map.of(), Map.of());
		assertThat(handler.received).hasSize(2);
		assertThat(this.bus.listHandlers()).isEmpty();
	}

	// attachMany with no event is refused.
	@Test
	void refusesAttachManyWithoutEvents() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.bus.attachMany("h", List.of(), new RecordingHandler(), null));
	}

	// A handler attached after a name was already dispatched receives it: the cache is dropped.
	@Test
	void attachAfterDispatchIsSeen() {
		this.bus.execute(STOP, Map.of(), Map.of());
		this.bus.execute("shop.checkout.stop", Map.of(), Map.of());
		RecordingHandler handler = new RecordingHandler();
		this.bus.attach("h", EventName.parse("shop.*.stop"), handler, null);
		this.bus.execute(STOP, Map.of(), Map.of());
		this.bus.execute("shop.checkout.stop", Map.of(), Map.of());
		assertThat(handler.received).hasSize(2);
	}

	// A detached handler receives nothing more, even for names resolved before.
	@Test
	void detachAfterDispatchIsSeen() {
		RecordingHandler handler = new RecordingHandler();
		this.bus.attach("h", STOP, handler, null);
		this.bus.execute(STOP, Map.of(), Map.of());
		this.bus.detach("h");
		this.bus.execute(STOP, Map.of(), Map.of());
		assertThat(handler.received).hasSize(1);
	}

	// listHandlers gives one row per (handler, event) with the handler and config as attached.
	@Test
	void listsHandlersAsAttached() {
		TelemetryHandler handler = new RecordingHandler();
		Object config = new Object();
		EventName start = EventName.parse("shop.checkout.start");
		this.bus.attachMany("h", List.of(start, STOP), handler, config);
		this.bus.attach("other", EventName.parse("db.query"), handler, null);
		assertThat(this.bus.listHandlers()).containsExactly(new AttachedHandler("h", start, handler, config),
				new AttachedHandler("h", STOP, handler, config),
				new AttachedHandler("other", EventName.parse("db.query"), handler, null));
		assertThat(this.bus.listHandlers().get(0).handler()).isSameAs(handler);
		assertThat(this.bus.listHandlers().get(0).config()).isSameAs(config);
		assertThatThrownBy(() -> this.bus.listHandlers().clear()).isInstanceOf(UnsupportedOperationException.class);
	}

	// listHandlers(prefix) keeps the rows whose event name starts with the prefix.
	@Test
	void listsHandlersByPrefix() {
		TelemetryHandler handler = new RecordingHandler();
		this.bus.attach("a", STOP, handler, null);
		this.bus.attach("b", EventName.parse("shop.payment.stop"), handler, null);
		this.bus.attach("c", EventName.parse("db.query"), handler, null);
		assertThat(this.bus.listHandlers(EventName.parse("shop"))).extracting(AttachedHandler::id).containsExactly("a", "b");
		assertThat(this.bus.listHandlers(EventName.parse("shop.checkout"))).extracting(AttachedHandler::id).containsExactly("a");
		assertThat(this.bus.listHandlers(EventName.parse("sho"))).isEmpty();
	}

	// A bus tells whether a name or a pattern would reach a handler, without emitting or counting.
	@Test
	void tellsWhetherANameOrPatternIsListened() {
		BusStatistics statistics = new BusStatistics(10);
		DefaultTelemetryEventBus bus = new DefaultTelemetryEventBus(HandlerFailurePolicy.DETACH, Duration.ofMinutes(1),
				TraceSpans.NONE, statistics);
		assertThat(bus.isListened(EventName.parse("http.server.requests.*"))).isFalse();
		bus.attach("h", EventName.parse("http.*.requests.stop"), (e, m, md, c) -> {
		}, null);
		assertThat(bus.isListened(EventName.parse("http.server.requests.*"))).isTrue();
		assertThat(bus.isListened(EventName.parse("http.server.requests.stop"))).isTrue();
		assertThat(bus.isListened(EventName.parse("http.server.requests.start"))).isFalse();
		bus.detach("h");
		assertThat(bus.isListened(EventName.parse("http.server.requests.stop"))).isFalse();
		assertThat(TelemetryEventBus.NOOP.isListened(EventName.parse("a"))).isFalse();
		assertThat(new TelemetryEndpoint(true, statistics, null, List::of, null).telemetry().events()).isEmpty();
	}

	// With telemetry off, a span only runs its body: its result comes back and its exception goes through.
	@Test
	void noopBusSpanRunsTheBodyOnly() {
		EventName checkout = EventName.parse("shop.checkout");
		assertThat(TelemetryEventBus.NOOP.span(checkout, Map.of(), () -> 42)).isEqualTo(42);
		assertThat(TelemetryEventBus.NOOP.spanWithStop(checkout, Map.of(),
				() -> SpanResult.of("done", Map.of("items", 3), Map.of()))).isEqualTo("done");
		assertThatIllegalStateException().isThrownBy(() -> TelemetryEventBus.NOOP.span(checkout, Map.of(), () -> {
			throw new IllegalStateException("declined");
		})).withMessage("declined");
	}

}
