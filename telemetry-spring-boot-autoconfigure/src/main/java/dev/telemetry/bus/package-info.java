/**
 * The default event bus: its copy-on-write dispatch table, the handler failure policy, spans, and
 * what it tells the recorder of its statistics.
 */
@NullMarked
package dev.telemetry.bus;

import org.jspecify.annotations.NullMarked;
