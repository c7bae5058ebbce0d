package dev.telemetry.metrics;

import java.util.List;

import dev.telemetry.EventName;
import org.jspecify.annotations.Nullable;

/**
 * A checked metric definition, from {@code telemetry.metrics.<name>}.
 *
 * @param name the meter name
 * @param event the event whose measurements it records
 * @param measurement the measurement, or {@code null} for a counter of events
 * @param type the kind of metric
 * @param unit the unit of the measurement
 * @param tags the metadata keys that become tags
 * @param description the description, or {@code null}
 * @param percentiles percentiles to publish, each in (0, 1)
 * @param histogram whether to publish histogram buckets
 * @param slo service level objectives, in the measurement's unit
 * @param maxSeries most tag sets before values collapse to {@code OTHER}
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
public record MetricDefinition(String name, EventName event, @Nullable String measurement, MetricType type,
		MetricUnit unit, List<String> tags, @Nullable String description, double[] percentiles, boolean histogram,
		double[] slo, int maxSeries) {

}
