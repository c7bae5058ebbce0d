package dev.telemetry.metrics;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Something that can tell what each configured metric holds, without Micrometer on the caller's
 * side.
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
@FunctionalInterface
public interface MetricStatisticsSource {

	/**
	 * What each metric holds now.
	 * @return one entry per metric
	 */
	List<MetricStatistics> statistics();

	/**
	 * What a configured metric holds now, for {@code /actuator/telemetry}.
	 *
	 * @param name the meter name
	 * @param event the event it records
	 * @param type its type, as configuration writes it
	 * @param seriesInUse tag sets in use, the {@code OTHER} one included
	 * @param maxSeries the cap
	 * @param overflow recordings that went to {@code OTHER} because the cap was reached
	 * @param skipped events that lacked the measurement
	 * @param value the metric over all its series now, in its base unit (a counter's count, a
	 * sum's total, the highest last value, a summary's mean), or {@code null} before any recording
	 */
	record MetricStatistics(String name, String event, String type, int seriesInUse, int maxSeries, long overflow,
			long skipped, @Nullable Double value) {

	}

}
