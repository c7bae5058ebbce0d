/**
 * Trace spans for telemetry spans, and trace context propagation across threads and messages.
 */
@NullMarked
package dev.telemetry.tracing;

import org.jspecify.annotations.NullMarked;
