/**
 * The {@code @TelemetryEvent} advice and its SpEL metadata.
 */
@NullMarked
package dev.telemetry.aop;

import org.jspecify.annotations.NullMarked;
