package dev.telemetry.metrics;

import java.util.List;

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

}
