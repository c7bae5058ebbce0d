/**
 * Discovery of {@code @TelemetryListener} methods and handler beans, attached for the life of the context.
 */
@NullMarked
package dev.telemetry.listener;

import org.jspecify.annotations.NullMarked;
