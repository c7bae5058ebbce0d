/**
 * Metrics declared in configuration over events, bridged to Micrometer, with a cardinality guard; and the poller.
 */
@NullMarked
package dev.telemetry.metrics;

import org.jspecify.annotations.NullMarked;
