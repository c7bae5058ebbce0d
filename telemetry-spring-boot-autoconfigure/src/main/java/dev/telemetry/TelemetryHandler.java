package dev.telemetry;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Receives the events it is attached to.
 * <p>
 * Called synchronously, in the thread that executed the event, so it must be quick: hand slow
 * work to another thread. The maps are unmodifiable views that are only valid during the call;
 * copy what you keep. What a handler throws never reaches the emitter (see {@link TelemetryEventBus}).
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
@FunctionalInterface
public interface TelemetryHandler {

	/**
	 * Handle one event, by its concrete name (never a pattern), with the config given when the
	 * handler was attached, as it was given.
	 */
	void handleEvent(EventName event, Map<String, Number> measurements, Map<String, Object> metadata,
			@Nullable Object config);

}
