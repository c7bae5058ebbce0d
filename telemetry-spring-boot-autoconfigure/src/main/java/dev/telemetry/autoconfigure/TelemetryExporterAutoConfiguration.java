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
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.SpanExporters;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@link AutoConfiguration Auto-configuration} that watches Spring Boot's OpenTelemetry span
 * export: counts exported, failed and dropped spans (shown under {@code exporter} in
 * {@code /actuator/telemetry} and as the meter {@code telemetry.exporter.spans}), logs export
 * trouble at a bounded rate instead of per batch, and exports every finished span on shutdown.
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
@AutoConfiguration(before = TelemetryEndpointAutoConfiguration.class,
		afterName = { "org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration",
				"org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration" })
@ConditionalOnClass({ SpanExporters.class, BatchSpanProcessor.class, MeterProvider.class })
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
			ObjectProvider<SpanExportStatistics> statistics) {
		return new SpanExportersPostProcessor(statistics::getObject);
	}

	/**
	 * Spring Boot hands its batch span processor a {@link MeterProvider} if there is one; this one
	 * hears the drops. An application with its own keeps them there.
	 */
	@Bean
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
				ObjectProvider<SpanDropsMeterProvider> drops) {
			// Drops are counted only with our MeterProvider; without it, no meter rather than a false zero.
			boolean dropsCounted = drops.getIfAvailable() != null;
			return (registry) -> {
				register(registry, "exported", statistics, SpanExportStatistics::exported);
				register(registry, "failed", statistics, SpanExportStatistics::failed);
				if (dropsCounted) {
					register(registry, "dropped", statistics, (each) -> {
						Long dropped = each.dropped();
						return (dropped != null) ? dropped : 0;
					});
				}
			};
		}

		private static void register(MeterRegistry registry, String outcome, SpanExportStatistics statistics,
				ToDoubleFunction<SpanExportStatistics> count) {
			FunctionCounter.builder("telemetry.exporter.spans", statistics, count)
				.description("Finished spans by what became of them on the way to the trace collector")
				.tag("outcome", outcome)
				.register(registry);
		}

	}

}
