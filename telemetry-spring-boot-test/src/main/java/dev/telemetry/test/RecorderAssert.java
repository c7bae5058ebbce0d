package dev.telemetry.test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.telemetry.EventName;
import org.assertj.core.api.AbstractAssert;
import org.jspecify.annotations.Nullable;

/**
 * Assertions on the events and spans of a {@link TelemetryRecorder}. Each check reads what was
 * recorded when it runs; after {@link #within(Duration)}, the checks that follow wait for
 * asynchronous work (an {@code @Async} task, a message listener) up to that long.
 *
 * @author telemetry-spring-boot
 * @since 0.2.0
 */
public final class RecorderAssert extends AbstractAssert<RecorderAssert, TelemetryRecorder> {

	private static final int LISTED_NAMES = 30;

	private Patience patience = Patience.NONE;

	RecorderAssert(TelemetryRecorder recorder) {
		super(recorder, RecorderAssert.class);
	}

	/**
	 * Make the checks that follow, on this object and on the assertions it returns, wait up to
	 * {@code timeout} for what they expect: each passes as soon as what was recorded satisfies it.
	 * @param timeout how long to wait
	 * @return this
	 */
	public RecorderAssert within(Duration timeout) {
		this.patience = new Patience(timeout);
		return this;
	}

	/**
	 * Check that an event with this name, or matching this pattern, was emitted. The failure lists
	 * what was emitted instead, near misses first.
	 * @param name a dotted name, or a pattern such as {@code shop.**}
	 * @return assertions on the events with that name
	 */
	public EventsAssert emitted(String name) {
		isNotNull();
		EventName wanted = EventName.parse(name);
		String problem = this.patience.await(() -> EventsAssert.matching(this.actual, wanted).isEmpty()
				? "Expected an event " + describe(wanted) + ", but none was emitted." + alternatives(wanted) : null);
		if (problem != null) {
			failWithMessage("%s", problem);
		}
		EventsAssert events = new EventsAssert(this.actual, wanted, this.patience);
		return this.info.hasDescription() ? events.as(this.info.description()) : events;
	}

	/**
	 * Check that no event with this name, or matching this pattern, was emitted. After
	 * {@link #within(Duration)} it watches for the whole time.
	 * @param name a dotted name or a pattern
	 * @return this
	 */
	public RecorderAssert notEmitted(String name) {
		isNotNull();
		EventName unwanted = EventName.parse(name);
		String problem = this.patience.watch(() -> {
			List<RecordedEvent> events = EventsAssert.matching(this.actual, unwanted);
			return events.isEmpty() ? null
					: "Expected no event " + describe(unwanted) + ", but " + events.size()
							+ ((events.size() == 1) ? " was" : " were") + " emitted: " + events;
		});
		if (problem != null) {
			failWithMessage("%s", problem);
		}
		return this;
	}

	/**
	 * Start assertions on the spans of one trace.
	 * @param traceId the trace id, e.g. {@link RecordedEvent#traceId()} of an event
	 * @return assertions on the trace
	 */
	public TraceAssert trace(@Nullable String traceId) {
		isNotNull();
		if (traceId == null) {
			failWithMessage("The trace id is null: the event it came from was not recorded in a trace "
					+ "(is tracing on, with the span sampled, and did the event come from a span?)");
		}
		TraceAssert trace = new TraceAssert(this.actual, traceId, this.patience);
		return this.info.hasDescription() ? trace.as(this.info.description()) : trace;
	}

	static String describe(EventName name) {
		return (name.isPattern() ? "matching '" : "named '") + name + "'";
	}

	private String alternatives(EventName wanted) {
		List<RecordedEvent> events = this.actual.events();
		if (events.isEmpty()) {
			return "\nNothing was emitted at all" + (this.actual.recordsSpans() ? ""
					: " on this bus: is the recorder attached to the bus that the code emits on?");
		}
		Map<EventName, Long> counts = events.stream()
			.collect(Collectors.groupingBy(RecordedEvent::name, LinkedHashMap::new, Collectors.counting()));
		StringBuilder message = new StringBuilder();
		List<EventName> near = wanted.nearMisses(counts.keySet());
		if (!near.isEmpty()) {
			message.append("\nDid you mean ")
				.append(near.stream().map((name) -> "'" + name + "'").collect(Collectors.joining(" or ")))
				.append('?');
		}
		message.append("\nEmitted (name: count, in the order first seen):");
		counts.entrySet()
			.stream()
			.limit(LISTED_NAMES)
			.forEach((entry) -> message.append("\n  ").append(entry.getKey()).append(": ").append(entry.getValue()));
		if (counts.size() > LISTED_NAMES) {
			message.append("\n  ... and ").append(counts.size() - LISTED_NAMES).append(" more names");
		}
		return message.toString();
	}

}
