package dev.telemetry.metrics;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Tells what each configured metric holds, for {@code /actuator/telemetry}, without Micrometer on
 * the caller's side.
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
	 * What a configured metric holds now: {@code type} as configuration writes it,
	 * {@code seriesInUse} counting the {@code OTHER} series, {@code overflow} the recordings that
	 * went to it, {@code skipped} the events without the measurement, and {@code value} the metric
	 * over all its series in its base unit (a counter's count, a sum's total, the highest last
	 * value, a summary's mean), or {@code null} before any recording.
	 */
	record MetricStatistics(String name, String event, String type, int seriesInUse, int maxSeries, long overflow,
			long skipped, @Nullable Double value) {
	}

}
