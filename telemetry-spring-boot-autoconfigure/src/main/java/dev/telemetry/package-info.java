/**
 * The public API: event names, the event bus, handlers and the annotations that attach them.
 */
@NullMarked
package dev.telemetry;

import org.jspecify.annotations.NullMarked;
