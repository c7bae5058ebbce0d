package dev.telemetry.test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.telemetry.EventName;
import org.assertj.core.api.AbstractAssert;
import org.jspecify.annotations.Nullable;

/**
 * Assertions on the recorded events with one name, or matching one pattern, from
 * {@link RecorderAssert#emitted(String)}. Each check reads the events again when it runs, and
 * waits as long as {@link RecorderAssert#within} allows.
 *
 * @author telemetry-spring-boot
 * @since 0.2.0
 */
public final class EventsAssert extends AbstractAssert<EventsAssert, TelemetryRecorder> {

	private final EventName name;

	private final Patience patience;

	EventsAssert(TelemetryRecorder recorder, EventName name, Patience patience) {
		super(recorder, EventsAssert.class);
		this.name = name;
		this.patience = patience;
	}

	/**
	 * Check that exactly one such event was emitted.
	 * @return this
	 */
	public EventsAssert once() {
		return times(1);
	}

	/**
	 * Check that exactly {@code times} such events were emitted.
	 * @param times the expected number of events
	 * @return this
	 */
	public EventsAssert times(int times) {
		return check((events) -> (events.size() == times) ? null
				: "Expected " + times + " " + plural(times, "event") + " " + RecorderAssert.describe(this.name)
						+ ", but " + events.size() + " " + plural(events.size(), "was", "were") + " emitted:"
						+ list(events, (event) -> ""));
	}

	/**
	 * Check that every such event has a numeric measurement under {@code key}.
	 * @param key the measurement key, e.g. {@code duration}
	 * @return this
	 */
	public EventsAssert withMeasurement(String key) {
		return every("the measurement '" + key + "'", (event) -> {
			Number value = event.measurements().get(key);
			return (value != null && !Double.isNaN(value.doubleValue())) ? null
					: "its measurements are " + event.measurements();
		});
	}

	/**
	 * Check that every such event has {@code value} under the metadata key {@code key}. Numbers
	 * are compared by value, so {@code 2} matches an {@code Integer} or a {@code Long} 2.
	 * @param key the metadata key
	 * @param value the expected value
	 * @return this
	 */
	public EventsAssert withMetadata(String key, @Nullable Object value) {
		return every("metadata " + key + "=" + value, (event) -> {
			if (!event.metadata().containsKey(key)) {
				return "it has no key '" + key + "'; its metadata keys are " + event.metadata().keySet();
			}
			Object actual = event.metadata().get(key);
			return sameValue(actual, value) ? null : "it has " + key + "=" + actual;
		});
	}

	/**
	 * Check that all such events belong to one trace. The failure lists each trace with its
	 * events and the threads they were emitted on: a task on a thread that did not receive the
	 * trace context starts a trace of its own.
	 * @return this
	 */
	public EventsAssert allInOneTrace() {
		return check((events) -> {
			Map<String, List<RecordedEvent>> traces = new LinkedHashMap<>();
			for (RecordedEvent event : events) {
				String trace = (event.traceId() != null) ? "trace " + event.traceId()
						: "no trace (emitted outside any traced span)";
				traces.computeIfAbsent(trace, (key) -> new ArrayList<>()).add(event);
			}
			if (traces.size() == 1 && events.get(0).traceId() != null) {
				return null;
			}
			StringBuilder message = new StringBuilder("Expected the " + events.size() + " events "
					+ RecorderAssert.describe(this.name) + " in one trace, but they are not:");
			traces.forEach((trace, inTrace) -> message.append("\n  ")
				.append(trace)
				.append(": ")
				.append(inTrace.stream()
					.map((event) -> event.name() + " (thread '" + event.thread() + "')")
					.collect(Collectors.joining(", "))));
			message.append("\nWork that runs on another thread stays in the trace only if the context travels with "
					+ "it: an executor bean that propagates context, or TraceContextCarrier.wrap(...)");
			return message.toString();
		});
	}

	private EventsAssert every(String expectation, Function<RecordedEvent, @Nullable String> problem) {
		return check((events) -> {
			List<RecordedEvent> failing = events.stream().filter((event) -> problem.apply(event) != null).toList();
			if (failing.isEmpty()) {
				return null;
			}
			return "Expected every event " + RecorderAssert.describe(this.name) + " to have " + expectation + ", but "
					+ failing.size() + " of " + events.size() + " did not:" + list(failing, problem);
		});
	}

	private EventsAssert check(Function<List<RecordedEvent>, @Nullable String> problem) {
		isNotNull();
		String message = this.patience.await(() -> {
			List<RecordedEvent> events = matching(this.actual, this.name);
			return events.isEmpty() ? "Expected an event " + RecorderAssert.describe(this.name) + ", but none was emitted"
					: problem.apply(events);
		});
		if (message != null) {
			failWithMessage("%s", message);
		}
		return this;
	}

	static List<RecordedEvent> matching(TelemetryRecorder recorder, EventName name) {
		return recorder.events().stream().filter((event) -> name.matches(event.name())).toList();
	}

	private static String list(List<RecordedEvent> events, Function<RecordedEvent, @Nullable String> detail) {
		return events.stream().map((event) -> {
			String more = detail.apply(event);
			return "\n  " + event + ((more != null && !more.isEmpty()) ? ": " + more : "");
		}).collect(Collectors.joining());
	}

	private static boolean sameValue(@Nullable Object actual, @Nullable Object expected) {
		if (actual instanceof Number a && expected instanceof Number e) {
			try {
				return new BigDecimal(a.toString()).compareTo(new BigDecimal(e.toString())) == 0;
			}
			catch (NumberFormatException ex) {
				return a.equals(e);
			}
		}
		return Objects.equals(actual, expected);
	}

	private static String plural(int count, String word) {
		return (count == 1) ? word : word + "s";
	}

	private static String plural(int count, String one, String many) {
		return (count == 1) ? one : many;
	}

}
