package dev.telemetry.metrics;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
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

	/** What each metric holds now, one entry per metric. */
	List<MetricStatistics> statistics();

	/** What a configured metric holds now, field by field as {@code metrics[]} in the README's endpoint section. */
	@JsonInclude(JsonInclude.Include.ALWAYS)
	record MetricStatistics(String name, String event, String type, int seriesInUse, int maxSeries, long overflow,
			long skipped, @Nullable Double value) {
	}

}
