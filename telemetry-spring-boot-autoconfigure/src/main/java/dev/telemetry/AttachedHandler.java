package dev.telemetry;

import org.jspecify.annotations.Nullable;

/**
 * One row of {@link TelemetryEventBus#listHandlers()}: a handler attached under an id to one
 * event name or pattern, with the handler and config exactly as they were attached.
 *
 * @param id the handler id
 * @param eventName the event name or pattern
 * @param handler the handler
 * @param config the config
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
public record AttachedHandler(String id, EventName eventName, TelemetryHandler handler, @Nullable Object config) {

}
