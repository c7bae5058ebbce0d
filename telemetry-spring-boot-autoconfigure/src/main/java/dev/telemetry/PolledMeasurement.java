package dev.telemetry;

/**
 * A measurement that the telemetry poller takes every {@code telemetry.poller.period}: declare a
 * bean and emit events from it. A measurement that throws is logged and tried again next period.
 *
 * <pre class="code">
 * &#64;Bean
 * PolledMeasurement cacheSize(Cache cache) {
 *     return (bus) -> bus.execute(CACHE_SIZE, Map.of("entries", cache.size()), Map.of());
 * }
 * </pre>
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
@FunctionalInterface
public interface PolledMeasurement {

	/** Take the measurement and emit it to the bus. */
	void measure(TelemetryEventBus bus);

}
