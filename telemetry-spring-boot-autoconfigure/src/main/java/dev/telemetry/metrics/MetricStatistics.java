package dev.telemetry.metrics;

/**
 * What a configured metric holds now, for {@code /actuator/telemetry}.
 *
 * @param name the meter name
 * @param event the event it records
 * @param type its type
 * @param seriesInUse tag sets in use, the {@code OTHER} one included
 * @param maxSeries the cap
 * @param overflow recordings that went to {@code OTHER} because the cap was reached
 * @param skipped events that lacked the measurement
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
public record MetricStatistics(String name, String event, String type, int seriesInUse, int maxSeries, long overflow,
		long skipped) {

}
