package dev.telemetry.bus;

import java.time.Instant;
import java.util.List;

import dev.telemetry.EventName;
import org.jspecify.annotations.Nullable;

/**
 * What a bus has seen since start: its handlers with their counters, and the event names emitted.
 * Names, ids and counts only: never a measurement or metadata value.
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
public interface BusStatistics {

	/**
	 * What a bus that keeps no statistics (a user's own, or the no-op bus) shows: nothing.
	 */
	BusStatistics NONE = new BusStatistics() {

		@Override
		public List<Handler> handlers() {
			return List.of();
		}

		@Override
		public List<Event> events() {
			return List.of();
		}

		@Override
		public long overflowEvents() {
			return 0;
		}

		@Override
		public int maxEvents() {
			return 0;
		}

		@Override
		public List<String> handlerIds(EventName event) {
			return List.of();
		}

	};

	/**
	 * The attached handlers, and the most recently detached ones.
	 * @return the handlers, attached first, each in attach order
	 */
	List<Handler> handlers();

	/**
	 * The event names emitted since start, at most {@link #maxEvents()}.
	 * @return the events
	 */
	List<Event> events();

	/**
	 * How many emissions were of names that did not fit in the catalog.
	 * @return the overflow count
	 */
	long overflowEvents();

	/**
	 * How many distinct names the catalog keeps.
	 * @return the bound
	 */
	int maxEvents();

	/**
	 * The ids of the handlers that receive an event now.
	 * @param event a concrete name
	 * @return the handler ids, in call order
	 */
	List<String> handlerIds(EventName event);

	/**
	 * A handler and its counters.
	 *
	 * @param id the handler id
	 * @param events the names and patterns it is attached to
	 * @param source where it was attached: a bean method, or a line of code
	 * @param attached whether it is attached now
	 * @param invocations how many events it was called with
	 * @param failures how many of those calls threw
	 * @param lastFailure the last failure, or {@code null}
	 * @param attachedAt when it was attached
	 * @param detachedAt when it was detached, or {@code null}
	 */
	record Handler(String id, List<EventName> events, String source, boolean attached, long invocations,
			long failures, @Nullable Failure lastFailure, Instant attachedAt, @Nullable Instant detachedAt) {
	}

	/**
	 * A failure of a handler.
	 *
	 * @param time when it failed
	 * @param kind the exception class
	 * @param reason the exception message, cut at 200 characters
	 */
	record Failure(Instant time, String kind, String reason) {
	}

	/**
	 * An event name emitted since start.
	 *
	 * @param name the name
	 * @param count how many times it was emitted
	 * @param lastSeen when it was last emitted, to about a second
	 */
	record Event(EventName name, long count, Instant lastSeen) {
	}

}
