/**
 * Auto-configuration of the telemetry bus and its {@code telemetry.*} properties.
 */
@NullMarked
package dev.telemetry.autoconfigure;

import org.jspecify.annotations.NullMarked;
