package dev.telemetry.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import dev.telemetry.Redaction;
import dev.telemetry.TelemetryEventBus;
import dev.telemetry.metrics.MetricDefinitions;
import dev.telemetry.metrics.MetricSpec;
import dev.telemetry.metrics.TelemetryMetrics;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link AutoConfiguration Auto-configuration} for the metrics declared under
 * {@code telemetry.metrics}, recorded into Spring Boot's {@link MeterRegistry} (so Prometheus,
 * OTLP and every registry Boot supports get them).
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
@AutoConfiguration(after = TelemetryAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnBooleanProperty(name = "telemetry.enabled", matchIfMissing = true)
public final class TelemetryMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	TelemetryMetrics telemetryMetrics(TelemetryEventBus bus, MeterRegistry registry, TelemetryProperties properties,
			Redaction redaction) {
		List<MetricSpec> specs = new ArrayList<>();
		properties.getMetrics()
			.forEach((name, metric) -> specs.add(new MetricSpec(name, metric.getEvent(), metric.getMeasurement(),
					metric.getType(), metric.getUnit(), metric.getTags(), metric.getDescription(),
					metric.getPercentiles(), metric.getHistogram(), metric.getSlo(), metric.getMaxSeries())));
		return new TelemetryMetrics(bus, registry,
				MetricDefinitions.check(specs, properties.getMetricDefaults().getMaxSeries()), redaction);
	}

}
