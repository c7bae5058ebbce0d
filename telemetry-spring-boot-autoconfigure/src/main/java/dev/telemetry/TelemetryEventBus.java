package dev.telemetry;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * The telemetry event bus: code emits events, handlers attached to event names receive them.
 * <p>
 * The contract of Erlang's {@code :telemetry}, kept exactly and made stricter where it was vague:
 * <ul>
 * <li>{@link #execute} calls every handler attached to exactly that name, or to a pattern that
 * matches it, synchronously in the caller's thread, in attach order. A prefix of the name or a
 * longer name does not match.</li>
 * <li>Handlers receive unmodifiable views; the caller's maps are never changed.</li>
 * <li>A handler that throws never reaches the caller and the other handlers still run; the
 * failing handler is detached and a {@value #HANDLER_FAILURE_EVENT} event is emitted (or, with
 * {@code telemetry.handler-failure=keep}, it stays attached and the failure is counted).</li>
 * <li>Attach, detach and execute are safe from any thread at the same time; execute takes no
 * lock.</li>
 * </ul>
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
public interface TelemetryEventBus {

	/**
	 * The name of the event emitted when a handler fails: measurements {@code monotonic_time},
	 * {@code system_time}; metadata {@code event_name}, {@code handler_id},
	 * {@code handler_config}, {@code kind}, {@code reason}, {@code stacktrace}.
	 */
	String HANDLER_FAILURE_EVENT = "telemetry.handler.failure";

	/** A bus that attaches nothing and emits nothing; spans just run their body. */
	TelemetryEventBus NOOP = new NoopTelemetryEventBus();

	/**
	 * Emit an event to every handler attached to its name or to a pattern matching it.
	 * @throws IllegalArgumentException if {@code event} is a pattern
	 */
	void execute(EventName event, Map<String, ? extends Number> measurements, Map<String, ?> metadata);

	/**
	 * {@link #execute(EventName, Map, Map)} with a dotted name such as {@code shop.checkout.stop}.
	 * @throws IllegalArgumentException if {@code event} is not a valid name or is a pattern
	 */
	void execute(String event, Map<String, ? extends Number> measurements, Map<String, ?> metadata);

	/**
	 * Whether a handler would receive {@code event} (or some event the pattern matches) if it were
	 * emitted now, for emitters whose maps cost something to build; {@code true} for a bus that
	 * cannot tell. Neither emits nor counts.
	 * @since 0.2.0
	 */
	default boolean isListened(EventName event) {
		return true;
	}

	/**
	 * Attach a handler to one event name or pattern under an id unique on this bus; the
	 * {@code config} is passed back to the handler on every call.
	 * @throws IllegalStateException if a handler with that id is already attached
	 */
	default void attach(String handlerId, EventName event, TelemetryHandler handler, @Nullable Object config) {
		attachMany(handlerId, List.of(event), handler, config);
	}

	/**
	 * Like {@link #attach}, to several names or patterns under one id; the handler is called once
	 * per event even when several of them match.
	 * @throws IllegalStateException if a handler with that id is already attached
	 * @throws IllegalArgumentException if {@code events} is empty
	 */
	void attachMany(String handlerId, Collection<EventName> events, TelemetryHandler handler,
			@Nullable Object config);

	/** Detach a handler from all its events: {@code true} if it was attached, {@code false} for an unknown id. */
	boolean detach(String handlerId);

	/** Every attached handler as an immutable snapshot, one row per (handler id, event name), in attach order. */
	List<AttachedHandler> listHandlers();

	/** The rows of {@link #listHandlers()} whose event name starts with {@code prefix}. */
	default List<AttachedHandler> listHandlers(EventName prefix) {
		return listHandlers().stream().filter((row) -> row.eventName().startsWith(prefix)).toList();
	}

	/**
	 * Run {@code body} as a span under a prefix such as {@code shop.checkout} and return what it
	 * returned: emit {@code prefix.start} with {@code monotonic_time} and {@code system_time},
	 * then {@code prefix.stop} with {@code duration} and {@code monotonic_time}, or, if the body
	 * throws, {@code prefix.exception} with the same measurements and the metadata {@code kind},
	 * {@code reason} and {@code stacktrace}, and rethrow the exception unchanged. Every event
	 * carries the start metadata and the span's {@link TelemetrySpanContext} under
	 * {@value TelemetrySpanContext#METADATA_KEY}. Times are nanoseconds.
	 */
	default <T> T span(EventName prefix, Map<String, ?> startMetadata, Supplier<T> body) {
		TelemetrySpan span = startSpan(prefix, startMetadata, true);
		T result = callIn(span, body);
		span.stop(Map.of(), Map.of());
		return result;
	}

	/**
	 * Like {@link #span(EventName, Map, Supplier)}, but the body also returns measurements and
	 * metadata for the {@code stop} event; stop metadata is merged over the start metadata. A body
	 * that returns {@code null} ends the span with an exception event, and the call throws it.
	 */
	default <T> T spanWithStop(EventName prefix, Map<String, ?> startMetadata, Supplier<SpanResult<T>> body) {
		TelemetrySpan span = startSpan(prefix, startMetadata, true);
		SpanResult<T> result = callIn(span, body);
		if (result == null) {
			NullPointerException ex = new NullPointerException(
					"The body of span " + prefix + " returned null, not a SpanResult");
			span.exception(ex);
			throw ex;
		}
		span.stop(result.measurements(), result.stopMetadata());
		return result.result();
	}

	/**
	 * Start a span that ends later, maybe in another thread: emit {@code prefix.start} now and
	 * return the span, to be ended exactly once with {@link TelemetrySpan#stop} or
	 * {@link TelemetrySpan#exception}. {@link #span} is this around a synchronous body.
	 * @param traced whether to record a trace span named after the prefix, child of the current
	 * span, when tracing is available; when not, a {@link TelemetrySpanContext} in the start
	 * metadata is the span's context (an Observation keeps the ids of its own trace span)
	 */
	TelemetrySpan startSpan(EventName prefix, Map<String, ?> startMetadata, boolean traced);

	private static <T> T callIn(TelemetrySpan span, Supplier<T> body) {
		try (TelemetrySpan.Scope scope = span.makeCurrent()) {
			return body.get();
		}
		catch (Throwable ex) {
			// Throwable: a checked exception thrown sneakily must end the span too.
			span.exception(ex);
			throw ex;
		}
	}

}
