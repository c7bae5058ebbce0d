package dev.telemetry.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.telemetry.EventName;
import dev.telemetry.Redaction;
import dev.telemetry.TelemetryEventBus;
import dev.telemetry.TelemetryHandler;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;

/**
 * The metrics of {@code telemetry.metrics}, fed by the bus: one handler per event (not per
 * metric), attached as {@code telemetry.metrics:<event>}, that records into every metric of that
 * event.
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
public class TelemetryMetrics implements MetricStatisticsSource, InitializingBean, DisposableBean {

	private static final String HANDLER_PREFIX = "telemetry.metrics:";

	private final TelemetryEventBus bus;

	private final Map<EventName, List<EventMetric>> byEvent = new LinkedHashMap<>();

	/**
	 * Create the metrics.
	 * @param bus the bus to attach to
	 * @param registry where the meters go
	 * @param definitions the checked definitions
	 * @param redaction tag keys whose values must not become tag values
	 */
	public TelemetryMetrics(TelemetryEventBus bus, MeterRegistry registry, List<MetricDefinition> definitions,
			Redaction redaction) {
		this.bus = bus;
		for (MetricDefinition definition : definitions) {
			this.byEvent.computeIfAbsent(definition.event(), (event) -> new ArrayList<>())
				.add(new EventMetric(definition, registry, redaction));
		}
	}

	@Override
	public void afterPropertiesSet() {
		this.byEvent.forEach((event, metrics) -> {
			EventMetric[] array = metrics.toArray(new EventMetric[0]);
			TelemetryHandler handler = (name, measurements, metadata, config) -> {
				for (EventMetric metric : array) {
					metric.record(measurements, metadata);
				}
			};
			this.bus.attach(HANDLER_PREFIX + event, event, handler, null);
		});
	}

	@Override
	public void destroy() {
		this.byEvent.keySet().forEach((event) -> this.bus.detach(HANDLER_PREFIX + event));
	}

	@Override
	public List<MetricStatistics> statistics() {
		List<MetricStatistics> statistics = new ArrayList<>();
		this.byEvent.values().forEach((metrics) -> metrics.forEach((metric) -> statistics.add(new MetricStatistics(
				metric.definition.name(), metric.definition.event().toString(), metric.definition.type().configName(),
				metric.seriesInUse(), metric.definition.maxSeries(), metric.overflow(), metric.skipped()))));
		return statistics;
	}

}
