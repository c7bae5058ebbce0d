package dev.telemetry.autoconfigure;

import java.util.function.ToDoubleFunction;

import dev.telemetry.tracing.ExportLogFilter;
import dev.telemetry.tracing.SpanDropsMeterProvider;
import dev.telemetry.tracing.SpanExportShutdown;
import dev.telemetry.tracing.SpanExportStatistics;
import dev.telemetry.tracing.SpanExportersPostProcessor;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.SpanExporters;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Fallback;
import org.springframework.core.env.Environment;

/**
 * {@link AutoConfiguration Auto-configuration} that watches Spring Boot's OpenTelemetry span
 * export: counts exported, failed and dropped spans (shown under {@code exporter} in
 * {@code /actuator/telemetry} and as the meters {@code telemetry.exporter.spans} and
 * {@code telemetry.exporter.spans.dropped}), logs export
 * trouble at a bounded rate instead of per batch, and exports every finished span on shutdown.
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
@AutoConfiguration(before = TelemetryEndpointAutoConfiguration.class,
		afterName = { "org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration",
				"org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration" })
@ConditionalOnClass({ SpanExporters.class, BatchSpanProcessor.class, MeterProvider.class })
@ConditionalOnBean(SpanExporters.class)
@ConditionalOnBooleanProperty(name = "telemetry.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "telemetry.exporter.enabled", matchIfMissing = true)
@EnableConfigurationProperties(TelemetryProperties.class)
public final class TelemetryExporterAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	SpanExportStatistics telemetrySpanExportStatistics(TelemetryProperties properties) {
		return new SpanExportStatistics(properties.getExporter().getFailureLogInterval());
	}

	@Bean
	static SpanExportersPostProcessor telemetrySpanExportersPostProcessor(
			ObjectProvider<SpanExportStatistics> statistics, Environment environment, ObjectProvider<Resource> resource) {
		return new SpanExportersPostProcessor(statistics::getObject,
				environment.getProperty("management.tracing.export.enabled", Boolean.class, true),
				resource::getIfUnique);
	}

	/**
	 * Nothing injects the log filter or the shutdown flush: they must be created even when the
	 * application initializes beans lazily.
	 */
	@Bean
	static LazyInitializationExcludeFilter telemetryExporterLazyInitializationExcludeFilter() {
		return LazyInitializationExcludeFilter.forBeanTypes(ExportLogFilter.class, SpanExportShutdown.class);
	}

	/**
	 * Spring Boot hands its batch span processor a {@link MeterProvider} if there is one; this one
	 * hears the drops. An application with its own keeps them there.
	 */
	@Bean
	@Fallback
	@ConditionalOnMissingBean(MeterProvider.class)
	SpanDropsMeterProvider telemetrySpanDropsMeterProvider(SpanExportStatistics statistics) {
		return new SpanDropsMeterProvider(statistics);
	}

	@Bean
	@ConditionalOnBooleanProperty(name = "telemetry.exporter.summarize-logs", matchIfMissing = true)
	ExportLogFilter telemetryExportLogFilter(SpanExportStatistics statistics) {
		return new ExportLogFilter(statistics);
	}

	@Bean
	@ConditionalOnBean(SdkTracerProvider.class)
	SpanExportShutdown telemetrySpanExportShutdown(SdkTracerProvider tracerProvider, SpanExportStatistics statistics,
			TelemetryProperties properties) {
		return new SpanExportShutdown(tracerProvider, statistics, properties.getExporter().getShutdownTimeout());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterBinder.class)
	static class ExporterMetersConfiguration {

		@Bean
		MeterBinder telemetrySpanExportMeters(SpanExportStatistics statistics,
				ObjectProvider<SpanDropsMeterProvider> drops, ObjectProvider<SpanExporters> exporters) {
			// Create what registers the exporters and counts the drops before the meters are bound.
			exporters.getIfAvailable();
			drops.getIfAvailable();
			// Drops are counted only with our MeterProvider; without it, no meter rather than a false zero.
			boolean dropsCounted = statistics.dropped() != null;
			return (registry) -> {
				for (SpanExportStatistics.Exporter exporter : statistics.exporters()) {
					register(registry, exporter, "exported", SpanExportStatistics.Exporter::exported);
					register(registry, exporter, "failed", SpanExportStatistics.Exporter::failed);
				}
				if (dropsCounted) {
					FunctionCounter.builder("telemetry.exporter.spans.dropped", statistics, (each) -> {
						Long dropped = each.dropped();
						return (dropped != null) ? dropped : 0;
					}).description("Finished spans dropped because the export queue was full").register(registry);
				}
			};
		}

		private static void register(MeterRegistry registry, SpanExportStatistics.Exporter exporter, String outcome,
				ToDoubleFunction<SpanExportStatistics.Exporter> count) {
			FunctionCounter.builder("telemetry.exporter.spans", exporter, count)
				.description("Finished spans by exporter and by what became of them")
				.tag("exporter", exporter.name())
				.tag("outcome", outcome)
				.register(registry);
		}

	}

}
