package dev.telemetry.autoconfigure;

import dev.telemetry.Redaction;
import dev.telemetry.TelemetryEventBus;
import dev.telemetry.metrics.TelemetryMetrics;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.LazyInitializationExcludeFilter;
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
// After the composite registry, which every registry's export auto-configuration precedes.
@AutoConfiguration(after = TelemetryAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnBooleanProperty(name = "telemetry.enabled", matchIfMissing = true)
public final class TelemetryMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	TelemetryMetrics telemetryMetrics(TelemetryEventBus bus, MeterRegistry registry, TelemetryProperties properties,
			Redaction redaction) {
		return new TelemetryMetrics(bus, registry, properties.getMetrics(),
				properties.getMetricDefaults().getMaxSeries(), redaction);
	}

	// Under spring.main.lazy-initialization nothing would ask for the metrics, which attach to the bus when made.
	@Bean
	static LazyInitializationExcludeFilter telemetryMetricsLazyInitializationExcludeFilter() {
		return LazyInitializationExcludeFilter.forBeanTypes(TelemetryMetrics.class);
	}

}
