package dev.telemetry;

import java.util.Map;

/**
 * A span started with {@link TelemetryEventBus#startSpan}: its {@code start} event has been
 * emitted; exactly one of {@link #stop} or {@link #exception} ends it, from any thread. For work
 * that ends later than the call that started it, such as a {@code CompletionStage}.
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
public interface TelemetrySpan {

	/** The context carried by every event of the span. */
	TelemetrySpanContext context();

	/**
	 * Make the span's trace span the current one in this thread, so that work started inside it
	 * (outgoing calls, tasks, child spans) becomes its child. Close the scope in the same thread.
	 */
	Scope makeCurrent();

	/**
	 * End the span successfully: emit {@code stop} with {@code duration}, {@code monotonic_time}
	 * and the given measurements, and the start metadata merged with the given metadata.
	 */
	void stop(Map<String, ? extends Number> measurements, Map<String, ?> stopMetadata);

	/**
	 * End the span with a failure: emit {@code exception} with {@code kind}, {@code reason} and
	 * {@code stacktrace}, and mark the trace span as an error.
	 */
	default void exception(Throwable failure) {
		exception(failure, Map.of());
	}

	/**
	 * Like {@link #exception(Throwable)}, with the start metadata merged with the given metadata,
	 * for work that learns more by its end (an HTTP status, say).
	 * @since 0.2.0
	 */
	void exception(Throwable failure, Map<String, ?> stopMetadata);

	/** A scope opened by {@link #makeCurrent()}. */
	@FunctionalInterface
	interface Scope extends AutoCloseable {

		/** A scope that does nothing. */
		Scope NOOP = () -> {
		};

		@Override
		void close();

	}

}
