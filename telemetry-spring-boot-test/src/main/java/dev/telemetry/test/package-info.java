/**
 * The test kit: a recorder of telemetry events and trace spans, and AssertJ assertions over them.
 */
@NullMarked
package dev.telemetry.test;

import org.jspecify.annotations.NullMarked;
