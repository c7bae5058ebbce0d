package dev.telemetry.bus;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.telemetry.EventName;
import dev.telemetry.SpanResult;
import dev.telemetry.TelemetrySpanContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SpanTests {

	private static final EventName PREFIX = EventName.parse("shop.checkout");

	private static final EventName START = PREFIX.append("start");

	private static final EventName STOP = PREFIX.append("stop");

	private static final EventName EXCEPTION = PREFIX.append("exception");

	private final DefaultTelemetryEventBus bus = new DefaultTelemetryEventBus();

	private final RecordingHandler handler = new RecordingHandler();

	@BeforeEach
	void attach() {
		this.bus.attachMany("h", List.of(START, STOP, EXCEPTION), this.handler, null);
	}

	// A span emits start with monotonic and system time, then stop with duration, and returns the result.
	@Test
	void emitsStartAndStop() {
		long before = System.currentTimeMillis();
		String result = this.bus.span(PREFIX, Map.of("cart_size", 3), () -> "order-1");
		assertThat(result).isEqualTo("order-1");
		assertThat(this.handler.events()).containsExactly(START, STOP);
		RecordingHandler.Received start = this.handler.received.get(0);
		RecordingHandler.Received stop = this.handler.received.get(1);
		assertThat(start.measurements()).containsOnlyKeys("monotonic_time", "system_time");
		assertThat(TimeUnit.NANOSECONDS.toMillis(start.measurements().get("system_time").longValue()))
			.isCloseTo(before, within(60_000L));
		assertThat(stop.measurements()).containsOnlyKeys("duration", "monotonic_time");
		long duration = stop.measurements().get("duration").longValue();
		assertThat(duration).isEqualTo(stop.measurements().get("monotonic_time").longValue()
				- start.measurements().get("monotonic_time").longValue());
		assertThat(start.metadata()).containsEntry("cart_size", 3).containsKey(TelemetrySpanContext.METADATA_KEY);
		assertThat(stop.metadata()).containsEntry("cart_size", 3);
	}

	// Start and stop carry the same span context, and every span has its own.
	@Test
	void spanContextIsSharedWithinAndUniqueAcrossSpans() {
		this.bus.span(PREFIX, Map.of(), () -> 1);
		this.bus.span(PREFIX, Map.of(), () -> 2);
		List<Object> contexts = this.handler.received.stream()
			.map((received) -> received.metadata().get(TelemetrySpanContext.METADATA_KEY))
			.toList();
		assertThat(contexts).hasSize(4).doesNotContainNull();
		assertThat(contexts.get(0)).isSameAs(contexts.get(1));
		assertThat(contexts.get(2)).isSameAs(contexts.get(3));
		assertThat(contexts.get(0)).isNotEqualTo(contexts.get(2));
	}

	// A failing body emits exception with kind, reason and stacktrace, and its exception is rethrown unchanged.
	@Test
	void emitsExceptionAndRethrows() {
		IllegalStateException failure = new IllegalStateException("payment declined");
		assertThatThrownBy(() -> this.bus.span(PREFIX, Map.of("cart_size", 3), () -> {
			throw failure;
		})).isSameAs(failure);
		assertThat(this.handler.events()).containsExactly(START, EXCEPTION);
		RecordingHandler.Received exception = this.handler.received.get(1);
		assertThat(exception.measurements()).containsOnlyKeys("duration", "monotonic_time");
		assertThat(exception.metadata()).containsEntry("cart_size", 3)
			.containsEntry("kind", IllegalStateException.class.getName())
			.containsEntry("reason", "payment declined")
			.containsKey(TelemetrySpanContext.METADATA_KEY);
		assertThat((String) exception.metadata().get("stacktrace")).contains("payment declined");
		assertThat(exception.metadata().get(TelemetrySpanContext.METADATA_KEY))
			.isSameAs(this.handler.received.get(0).metadata().get(TelemetrySpanContext.METADATA_KEY));
	}

	// The body can add stop measurements and stop metadata, merged over the start metadata.
	@Test
	void spanWithStopAddsMeasurementsAndMetadata() {
		String result = this.bus.spanWithStop(PREFIX, Map.of("cart_size", 3, "outcome", "unknown"),
				() -> SpanResult.of("order-1", Map.of("items", 7), Map.of("outcome", "confirmed")));
		assertThat(result).isEqualTo("order-1");
		RecordingHandler.Received stop = this.handler.received.get(1);
		assertThat(stop.measurements()).containsOnlyKeys("duration", "monotonic_time", "items")
			.containsEntry("items", 7);
		assertThat(stop.metadata()).containsEntry("cart_size", 3)
			.containsEntry("outcome", "confirmed")
			.containsEntry(TelemetrySpanContext.METADATA_KEY,
					this.handler.received.get(0).metadata().get(TelemetrySpanContext.METADATA_KEY));
	}

	// A body that returns no SpanResult ends the span with an exception event instead of leaving it open.
	@Test
	void nullSpanResultEndsSpanWithException() {
		assertThatThrownBy(() -> this.bus.spanWithStop(PREFIX, Map.of(), () -> null))
			.isInstanceOf(NullPointerException.class)
			.hasMessageContaining("shop.checkout");
		assertThat(this.handler.events()).containsExactly(START, EXCEPTION);
		assertThat(this.handler.received.get(1).metadata()).containsEntry("kind", NullPointerException.class.getName());
	}

	// A SpanResult with a null map fails inside the body, so the span ends with an exception event.
	@Test
	void spanResultWithNullMapEndsSpanWithException() {
		assertThatThrownBy(() -> this.bus.spanWithStop(PREFIX, Map.of(), () -> new SpanResult<>("x", Map.of(), null)))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("stopMetadata");
		assertThat(this.handler.events()).containsExactly(START, EXCEPTION);
	}

	// A checked exception thrown sneakily from the body still ends the span with an exception event.
	@Test
	void sneakyCheckedExceptionEndsSpan() {
		Exception checked = new java.io.IOException("disk gone");
		assertThatThrownBy(() -> this.bus.span(PREFIX, Map.of(), () -> sneakyThrow(checked))).isSameAs(checked);
		assertThat(this.handler.events()).containsExactly(START, EXCEPTION);
	}

	// The stop event carries the start metadata even if the caller changes its map during the body,
	// through an unmodifiable view or not.
	@Test
	void stopCarriesStartMetadataEvenIfCallerMapChanges() {
		Map<String, Object> mutable = new java.util.HashMap<>(Map.of("k", "before"));
		this.bus.span(PREFIX, java.util.Collections.unmodifiableMap(mutable), () -> mutable.put("k", "after"));
		assertThat(this.handler.received.get(0).metadata()).containsEntry("k", "before");
		assertThat(this.handler.received.get(1).metadata()).containsEntry("k", "before");
	}

	// A handler attached while a span runs receives its stop; one detached meanwhile does not.
	@Test
	void stopGoesToTheHandlersAttachedWhenItIsEmitted() {
		RecordingHandler late = new RecordingHandler();
		this.bus.span(PREFIX, Map.of(), () -> {
			this.bus.attach("late", STOP, late, null);
			return this.bus.detach("h");
		});
		assertThat(late.events()).containsExactly(STOP);
		assertThat(this.handler.events()).containsExactly(START);
	}

	// A span prefix must be a concrete name, as for execute.
	@Test
	void refusesPatternPrefix() {
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
			.isThrownBy(() -> this.bus.span(EventName.parse("shop.*"), Map.of(), () -> 1));
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
			.isThrownBy(() -> this.bus.span(EventName.parse("shop.**"), Map.of(), () -> 1));
	}

	// A tracer that answers empty ids (Boot's no-op tracer) counts as no trace.
	@Test
	void emptyTraceIdsMeanNoTrace() {
		TraceSpans emptyIds = (name, metadata) -> new TraceSpans.TraceSpan() {

			@Override
			public String traceId() {
				return "";
			}

			@Override
			public String spanId() {
				return "";
			}

			@Override
			public dev.telemetry.TelemetrySpan.Scope makeCurrent() {
				return dev.telemetry.TelemetrySpan.Scope.NOOP;
			}

			@Override
			public void end(Map<String, ?> stopMetadata, Throwable failure) {
			}

		};
		DefaultTelemetryEventBus traced = new DefaultTelemetryEventBus(HandlerFailurePolicy.DETACH,
				Duration.ofMinutes(1), emptyIds, BusRecorder.NONE);
		traced.attach("h", START, this.handler, null);
		traced.span(PREFIX, Map.of(), () -> 1);
		TelemetrySpanContext context = (TelemetrySpanContext) this.handler.received.get(0).metadata()
			.get(TelemetrySpanContext.METADATA_KEY);
		assertThat(context.traceId()).isNull();
	}

	@SuppressWarnings("unchecked")
	private static <E extends Throwable> Object sneakyThrow(Throwable failure) throws E {
		throw (E) failure;
	}

	// Stop metadata cannot replace the span context that pairs start and stop.
	@Test
	void stopMetadataCannotReplaceSpanContext() {
		this.bus.spanWithStop(PREFIX, Map.of(),
				() -> SpanResult.of("x", Map.of(TelemetrySpanContext.METADATA_KEY, "forged")));
		assertThat(this.handler.received.get(1).metadata().get(TelemetrySpanContext.METADATA_KEY))
			.isSameAs(this.handler.received.get(0).metadata().get(TelemetrySpanContext.METADATA_KEY));
	}

}
