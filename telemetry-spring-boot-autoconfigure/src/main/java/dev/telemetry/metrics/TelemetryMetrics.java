package dev.telemetry.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.telemetry.EventName;
import dev.telemetry.InvalidTelemetryDeclarationException;
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
	 * @param definitions the metrics, keyed by meter name
	 * @param defaultMaxSeries the series cap of metrics that set none
	 * @param redaction tag keys whose values must not become tag values
	 * @throws InvalidTelemetryDeclarationException naming every property that is wrong
	 */
	public TelemetryMetrics(TelemetryEventBus bus, MeterRegistry registry, Map<String, MetricDefinition> definitions,
			int defaultMaxSeries, Redaction redaction) {
		this.bus = bus;
		List<InvalidTelemetryDeclarationException> problems = new ArrayList<>();
		if (defaultMaxSeries < 1) {
			problems.add(new InvalidTelemetryDeclarationException("telemetry.metric-defaults",
					Map.of("Property", "telemetry.metric-defaults.max-series"), "max-series",
					String.valueOf(defaultMaxSeries), "it must be at least 1",
					"Set telemetry.metric-defaults.max-series to a positive number of tag sets, like 100."));
		}
		definitions.forEach((name, definition) -> problems.addAll(definition.problems(name)));
		if (!problems.isEmpty()) {
			problems.subList(1, problems.size()).forEach(problems.get(0)::addSuppressed);
			throw problems.get(0);
		}
		definitions.forEach((name, definition) -> this.byEvent
			.computeIfAbsent(EventName.parse(definition.event().trim()), (event) -> new ArrayList<>())
			.add(new EventMetric(name, definition,
					(definition.maxSeries() != null) ? definition.maxSeries() : defaultMaxSeries, registry, redaction)));
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
		this.byEvent.forEach((event, metrics) -> metrics.forEach((metric) -> statistics.add(metric.statistics(event))));
		return statistics;
	}

}
