/**
 * The {@code telemetry} actuator endpoint: what is attached, what fired, what failed, and why nothing shows up.
 */
@NullMarked
package dev.telemetry.actuate;

import org.jspecify.annotations.NullMarked;
