package dev.telemetry.metrics;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A metric definition as configured, not yet checked.
 *
 * @param name the meter name (the key under {@code telemetry.metrics})
 * @param event the event name
 * @param measurement the measurement
 * @param type the type
 * @param unit the unit
 * @param tags the tag keys
 * @param description the description
 * @param percentiles the percentiles
 * @param histogram whether to publish histogram buckets, {@code null} for the type's default
 * @param slo service level objectives: numbers in the unit, or durations such as {@code 100ms}
 * @param maxSeries the series cap, {@code null} for the default
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
public record MetricSpec(String name, @Nullable String event, @Nullable String measurement, @Nullable String type,
		@Nullable String unit, List<String> tags, @Nullable String description, List<Double> percentiles,
		@Nullable Boolean histogram, List<String> slo, @Nullable Integer maxSeries) {

}
