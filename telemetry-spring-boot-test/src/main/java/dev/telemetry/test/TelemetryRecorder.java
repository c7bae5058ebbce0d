package dev.telemetry.test;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import dev.telemetry.EventName;
import dev.telemetry.TelemetryEventBus;
import dev.telemetry.TelemetrySpanContext;
import org.jspecify.annotations.Nullable;

/**
 * Records the events of a {@link TelemetryEventBus}, and in a Spring test context the finished
 * trace spans, for assertions with {@link TelemetryAssertions#assertThat(TelemetryRecorder)}.
 * <p>
 * In a plain unit test, attach one to the bus of the class under test and close it after:
 * <pre class="code">
 * try (TelemetryRecorder recorder = TelemetryRecorder.attach(bus, "shop.**")) {
 *     service.checkout(cart);
 *     assertThat(recorder).emitted("shop.checkout.stop").once().withMeasurement("duration");
 * }
 * </pre>
 * In a {@code @SpringBootTest}, with this module on the test classpath, inject the recorder bean
 * ({@code @Autowired TelemetryRecorder recorder}): it records every event of the context's bus
 * and every finished span, and is cleared before each test method.
 * <p>
 * The recorder is a handler like any other: it receives events synchronously in the emitting
 * thread, from every thread, and it is listed by {@link TelemetryEventBus#listHandlers()}.
 *
 * @author telemetry-spring-boot
 * @since 0.2.0
 */
public final class TelemetryRecorder implements AutoCloseable {

	private static final AtomicLong IDS = new AtomicLong();

	private static final List<EventName> EVERY_EVENT = List.of(EventName.of("**"));

	private final TelemetryEventBus bus;

	private final String handlerId;

	private final @Nullable SpanSource spans;

	private final Queue<RecordedEvent> events = new ConcurrentLinkedQueue<>();

	private TelemetryRecorder(TelemetryEventBus bus, String handlerId, @Nullable SpanSource spans) {
		this.bus = bus;
		this.handlerId = handlerId;
		this.spans = spans;
	}

	/**
	 * Attach a recorder to a bus.
	 * @param bus the bus to record
	 * @param events the names or patterns to record ({@code shop.checkout.stop},
	 * {@code shop.**}); none records every event
	 * @return the recorder, attached; {@link #close() close} it to detach it
	 * @throws IllegalArgumentException if a name is not valid
	 */
	public static TelemetryRecorder attach(TelemetryEventBus bus, String... events) {
		return attach(bus, "telemetry-recorder-" + IDS.incrementAndGet(), null, events);
	}

	static TelemetryRecorder attach(TelemetryEventBus bus, String handlerId, @Nullable SpanSource spans,
			String... events) {
		List<EventName> names = (events.length != 0) ? Arrays.stream(events).map(EventName::parse).toList()
				: EVERY_EVENT;
		TelemetryRecorder recorder = new TelemetryRecorder(bus, handlerId, spans);
		bus.attachMany(recorder.handlerId, names, (event, measurements, metadata, config) -> recorder
			.record(event, measurements, metadata), null);
		return recorder;
	}

	private void record(EventName event, Map<String, Number> measurements, Map<String, Object> metadata) {
		String traceId = (metadata.get(TelemetrySpanContext.METADATA_KEY) instanceof TelemetrySpanContext context)
				? context.traceId() : null;
		if (traceId == null && this.spans != null) {
			traceId = this.spans.currentTraceId();
		}
		this.events.add(new RecordedEvent(event, copy(measurements), copy(metadata), Thread.currentThread().getName(),
				traceId));
	}

	private static <V> Map<String, V> copy(Map<String, V> map) {
		return Collections.unmodifiableMap(new LinkedHashMap<>(map));
	}

	/**
	 * The events recorded so far, from every thread, in the order they were emitted.
	 * @return a snapshot
	 */
	public List<RecordedEvent> events() {
		return List.copyOf(this.events);
	}

	/**
	 * The events recorded so far with this name, or matching this pattern ({@code shop.*.stop}).
	 * @param name a dotted event name or pattern
	 * @return a snapshot, in emission order
	 * @throws IllegalArgumentException if the name is not valid
	 */
	public List<RecordedEvent> events(String name) {
		EventName wanted = EventName.parse(name);
		return this.events.stream().filter((event) -> wanted.matches(event.name())).toList();
	}

	/**
	 * The trace spans finished so far, in the order they ended. Only the recorder of a Spring test
	 * context with Spring Boot's OpenTelemetry tracing records spans; one made with
	 * {@link #attach} records events only.
	 * @return a snapshot
	 */
	public List<RecordedSpan> spans() {
		return (this.spans != null) ? this.spans.finished() : List.of();
	}

	/**
	 * Forget the events and spans recorded so far; the recorder stays attached.
	 */
	public void clear() {
		this.events.clear();
		if (this.spans != null) {
			this.spans.clear();
		}
	}

	/**
	 * Detach the recorder from the bus. What it recorded stays readable.
	 */
	@Override
	public void close() {
		this.bus.detach(this.handlerId);
	}

	/**
	 * The spans started and not ended yet, to explain a missing parent.
	 */
	List<RecordedSpan> openSpans() {
		return (this.spans != null) ? this.spans.open() : List.of();
	}

	boolean hasRemoteParent(RecordedSpan span) {
		return this.spans != null && this.spans.hasRemoteParent(span);
	}

	boolean recordsSpans() {
		return this.spans != null;
	}

	@Override
	public String toString() {
		return "TelemetryRecorder '" + this.handlerId + "' (" + this.events.size() + " events, " + spans().size()
				+ " spans)";
	}

}
