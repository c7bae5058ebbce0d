package dev.telemetry.autoconfigure;

import java.util.List;

import dev.telemetry.actuate.BusStatistics;
import dev.telemetry.actuate.TelemetryEndpoint;
import dev.telemetry.aop.TelemetryEventMethods;
import dev.telemetry.metrics.MetricStatisticsSource;
import dev.telemetry.tracing.SpanExportStatistics;
import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ImportRuntimeHints;

/**
 * {@link AutoConfiguration Auto-configuration} for the {@link TelemetryEndpoint} and the
 * {@link BusStatistics} it reads, recorded only when the endpoint is available.
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
@AutoConfiguration(after = { TelemetryAutoConfiguration.class, TelemetryAopAutoConfiguration.class,
		TelemetryMetricsAutoConfiguration.class })
@ConditionalOnClass(Endpoint.class)
@ConditionalOnAvailableEndpoint(TelemetryEndpoint.class)
@ImportRuntimeHints(TelemetryEndpointAutoConfiguration.PageRuntimeHints.class)
public final class TelemetryEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	BusStatistics telemetryBusStatistics(TelemetryProperties properties) {
		return new BusStatistics(properties.getEndpoint().getMaxEvents());
	}

	@Bean
	@ConditionalOnMissingBean
	TelemetryEndpoint telemetryEndpoint(TelemetryProperties properties, BusStatistics statistics,
			ObjectProvider<TelemetryEventMethods> methods, ObjectProvider<MetricStatisticsSource> metrics,
			ObjectProvider<SpanExportStatistics> export) {
		return new TelemetryEndpoint(properties.isEnabled(), statistics, methods.getIfAvailable(),
				metrics.getIfAvailable(() -> List::of), export.getIfAvailable());
	}

	// A native image holds only the resources it is told about: the page the endpoint serves as HTML.
	static class PageRuntimeHints implements RuntimeHintsRegistrar {

		@Override
		public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
			hints.resources().registerPattern("dev/telemetry/actuate/dashboard.html");
		}

	}

}
