package dev.telemetry.metrics;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * The kinds of metric, as in Elixir's {@code telemetry_metrics}.
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
public enum MetricType {

	/**
	 * Counts events; needs no measurement.
	 */
	COUNTER,

	/**
	 * Adds up a measurement.
	 */
	SUM,

	/**
	 * Keeps the last value of a measurement (a gauge).
	 */
	LAST_VALUE,

	/**
	 * Count, total and max of a measurement, plus configured percentiles (a timer for time units).
	 */
	SUMMARY,

	/**
	 * Like {@link #SUMMARY}, with histogram buckets published, so that a backend can compute any
	 * quantile ({@code histogram_quantile} in Prometheus).
	 */
	DISTRIBUTION;

	/**
	 * The configuration name, e.g. {@code last-value}.
	 * @return the name
	 */
	public String configName() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

	static @Nullable MetricType of(String value) {
		for (MetricType type : values()) {
			if (type.configName().equals(value.trim().toLowerCase(Locale.ROOT).replace('_', '-'))) {
				return type;
			}
		}
		return null;
	}

}
