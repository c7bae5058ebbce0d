package dev.telemetry;

import org.jspecify.annotations.Nullable;

/**
 * One row of {@link TelemetryEventBus#listHandlers()}: a handler attached under an id to one
 * event name or pattern, with the handler and config exactly as they were attached.
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
public record AttachedHandler(String id, EventName eventName, TelemetryHandler handler, @Nullable Object config) {

}
