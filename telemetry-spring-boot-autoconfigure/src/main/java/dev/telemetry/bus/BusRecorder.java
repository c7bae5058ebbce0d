package dev.telemetry.bus;

import java.util.List;

import dev.telemetry.EventName;

/**
 * What a {@link DefaultTelemetryEventBus} tells of itself, so that dispatch and the endpoint's
 * statistics change apart: the names it emits and the handlers it attaches, detaches and sees
 * fail. {@link #attached} and {@link #detached} are called under the bus's write lock.
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
public interface BusRecorder {

	/** Records nothing. */
	BusRecorder NONE = new BusRecorder() {
	};

	/** The counter of a concrete name's emissions, asked for once per name and dispatch table. */
	default Counter counter(EventName event) {
		return Counter.NONE;
	}

	/**
	 * The counter of a concrete name emitted by something other than application code, such as
	 * the Observation bridge ({@code source}: {@code observation 'http.server.requests'}), which
	 * counts the emissions that no handler receives itself.
	 */
	default Counter counter(EventName event, String source) {
		return counter(event);
	}

	/** A handler was attached to these names or patterns. */
	default void attached(String handlerId, List<EventName> events) {
	}

	/**
	 * Say where a handler comes from, such as {@code bean 'stats' method onStop()}, for code that
	 * attaches handlers for others; otherwise it is the line of code that attached it.
	 */
	default void describe(String handlerId, String source) {
	}

	/** A handler threw, whether it stays attached or not. */
	default void failed(String handlerId, Throwable failure) {
	}

	/** A handler was detached, because it failed or otherwise. */
	default void detached(String handlerId, boolean failed) {
	}

	/** Counts the emissions of one name. */
	@FunctionalInterface
	interface Counter {

		/** Counts nothing. */
		Counter NONE = () -> {
		};

		/** One more emission. */
		void increment();

	}

}
