/**
 * The default event bus: its copy-on-write dispatch table, the handler failure policy and spans.
 */
@NullMarked
package dev.telemetry.bus;

import org.jspecify.annotations.NullMarked;
