/**
 * The Observation bridge: every Micrometer Observation emitted on the bus as a telemetry span.
 */
@NullMarked
package dev.telemetry.observation;

import org.jspecify.annotations.NullMarked;
