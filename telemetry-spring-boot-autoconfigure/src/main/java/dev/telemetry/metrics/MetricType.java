package dev.telemetry.metrics;

import java.util.Locale;

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
	 * Count, total and max of a measurement (a timer for time units).
	 */
	SUMMARY,

	/**
	 * Like {@link #SUMMARY}, with histogram buckets published, so that a backend can compute any
	 * quantile ({@code histogram_quantile} in Prometheus).
	 */
	DISTRIBUTION;

	/**
	 * The name as configuration writes it, such as {@code last-value}; Spring Boot lists these
	 * when a configured type is not one of them.
	 * @return the name
	 */
	@Override
	public String toString() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

}
