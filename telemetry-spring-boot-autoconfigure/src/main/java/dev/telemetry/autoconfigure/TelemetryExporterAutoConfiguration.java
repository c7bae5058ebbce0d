package dev.telemetry.autoconfigure;

import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

import dev.telemetry.tracing.CountingSpanExporter;
import dev.telemetry.tracing.SpanExportShutdown;
import dev.telemetry.tracing.SpanExportStatistics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.aot.AotDetector;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SearchStrategy;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.SpanExporters;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Fallback;
import org.springframework.core.env.Environment;

/**
 * {@link AutoConfiguration Auto-configuration} that watches Spring Boot's OpenTelemetry span
 * export: counts exported, failed and dropped spans (shown under {@code exporter} in
 * {@code /actuator/telemetry} and as the meters {@code telemetry.exporter.spans} and
 * {@code telemetry.exporter.spans.dropped}), logs export trouble at a bounded rate, and exports
 * every finished span on shutdown. Only while OpenTelemetry records the spans: with another
 * Micrometer Tracing bridge (Brave), that bridge exports them.
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
@AutoConfiguration(before = TelemetryEndpointAutoConfiguration.class,
		afterName = { "org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration",
				"org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration" })
@ConditionalOnClass({ SpanExporters.class, BatchSpanProcessor.class, SdkMeterProvider.class, OtelTracer.class })
@ConditionalOnBean({ SpanExporters.class, OtelTracer.class })
@ConditionalOnBooleanProperty(name = { "telemetry.enabled", "telemetry.exporter.enabled" }, matchIfMissing = true)
@EnableConfigurationProperties(TelemetryProperties.class)
public final class TelemetryExporterAutoConfiguration {

	private static final Log logger = LogFactory.getLog(TelemetryExporterAutoConfiguration.class);

	private static final String OTLP_ENDPOINT = "management.opentelemetry.tracing.export.otlp.endpoint";

	@Bean
	@ConditionalOnMissingBean
	SpanExportStatistics telemetrySpanExportStatistics(TelemetryProperties properties,
			ObjectProvider<SdkTracerProvider> tracerProvider) {
		return new SpanExportStatistics(properties.getExporter().getFailureLogInterval(),
				() -> tracerProvider.stream().map(SdkTracerProvider::getSampler).findFirst().orElse(null));
	}

	// Counts the exporters of Boot's list, the one its batch processor exports to; the exporter beans
	// keep their types. Says what Boot leaves silent: spans sent nowhere, under no service name, or to
	// an OTLP endpoint without its path.
	@Bean
	static BeanPostProcessor telemetrySpanExportersPostProcessor(ObjectProvider<SpanExportStatistics> statistics,
			Environment environment, ObjectProvider<Resource> resource) {
		return new BeanPostProcessor() {

			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				if (!(bean instanceof SpanExporters exporters)) {
					return bean;
				}
				if (exporters.list().isEmpty()) {
					if (environment.getProperty("management.tracing.export.enabled", Boolean.class, true)) {
						sayNothingIsExported(environment);
					}
					return bean;
				}
				sayWhatTheBackendMisses(environment, resource.getIfUnique());
				return statistics.getObject().wrap(exporters);
			}

		};
	}

	private static void sayWhatTheBackendMisses(Environment environment, @Nullable Resource resource) {
		String name = (resource != null) ? resource.getAttribute(AttributeKey.stringKey("service.name")) : null;
		if (name == null || name.startsWith("unknown_service")) {
			logger.warn("Spans are exported with the service name 'unknown_service', so the trace backend cannot tell "
					+ "this application from any other unnamed one. Name it with spring.application.name (or "
					+ "management.opentelemetry.resource-attributes.service.name, or OTEL_SERVICE_NAME)");
		}
		String endpoint = environment.getProperty(OTLP_ENDPOINT);
		String transport = environment.getProperty("management.opentelemetry.tracing.export.otlp.transport");
		if (endpoint != null && endpoint.matches("[a-zA-Z]+://[^/]+/?") && !"grpc".equalsIgnoreCase(transport)) {
			logger.warn(OTLP_ENDPOINT + " is " + endpoint + ", with no path: Spring Boot sends spans to the URL as it "
					+ "is, and an OpenTelemetry collector takes OTLP over HTTP at /v1/traces. Set it to "
					+ endpoint.replaceAll("/$", "") + "/v1/traces");
		}
	}

	// Spring Boot maps the OTEL_* variables to its properties from 4.1 on (by default): a variable set
	// while the property is not was not read. Under Spring AOT, it decided at build time whether to make
	// an exporter: an endpoint set, or Zipkin turned on, only at run time is not seen.
	private static void sayNothingIsExported(Environment environment) {
		String zipkin = "management.tracing.export.zipkin.enabled";
		String setAtRunTime = environment.containsProperty(OTLP_ENDPOINT) ? OTLP_ENDPOINT
				: environment.getProperty(zipkin, Boolean.class, false) ? zipkin : null;
		if (AotDetector.useGeneratedArtifacts() && setAtRunTime != null) {
			logger.warn("No span exporter is configured, though " + setAtRunTime + " is set: the application runs "
					+ "on the bean definitions Spring AOT generated at build time, when Spring Boot decided to make "
					+ "none. Set the property (or activate the profile that sets it) for process-aot or the native "
					+ "build too; its value is still read at run time");
			return;
		}
		String variable = Stream.of("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT")
			.filter(environment::containsProperty)
			.findFirst()
			.orElse(null);
		if (variable == null || environment.containsProperty(OTLP_ENDPOINT)) {
			logger.info("No span exporter is configured: spans are recorded but sent nowhere. Set " + OTLP_ENDPOINT
					+ " (or, from Spring Boot 4.1 on, OTEL_EXPORTER_OTLP_ENDPOINT) or add a SpanExporter bean; "
					+ "'exporter' in /actuator/telemetry shows what is exported");
			return;
		}
		String value = environment.getRequiredProperty(variable);
		String url = variable.contains("TRACES") ? value : value.replaceAll("/$", "") + "/v1/traces";
		logger.warn(variable + " is set, but Spring Boot did not read it (it reads the OTEL_* variables from 4.1 on, "
				+ "unless management.opentelemetry.map-environment-variables=false): no span exporter is configured "
				+ "and spans are sent nowhere. Set " + OTLP_ENDPOINT + "=" + url
				+ " (as an environment variable, MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT)");
	}

	// This context's provider, not a parent's, which a child's close must not shut down.
	@Bean
	@ConditionalOnBean(value = SdkTracerProvider.class, search = SearchStrategy.CURRENT)
	SpanExportShutdown telemetrySpanExportShutdown(SdkTracerProvider tracerProvider, SpanExportStatistics statistics,
			TelemetryProperties properties, ConfigurableApplicationContext context) {
		return new SpanExportShutdown(tracerProvider, statistics, properties.getExporter().getShutdownTimeout(),
				context::isClosed);
	}

	// Boot hands its batch processor the MeterProvider bean: this one, unless the application has its
	// own, which then receives the drops. Nothing to export or stop: OpenTelemetry closes it.
	@Bean(destroyMethod = "")
	@Fallback
	@ConditionalOnMissingBean(MeterProvider.class)
	SdkMeterProvider telemetrySpanDropsMeterProvider(SpanExportStatistics statistics) {
		return statistics.createDropsMeterProvider();
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterBinder.class)
	static class ExporterMetersConfiguration {

		@Bean
		MeterBinder telemetrySpanExportMeters(SpanExportStatistics statistics, ObjectProvider<SpanExporters> exporters,
				ObjectProvider<MeterProvider> meterProvider) {
			// Before the meters are bound, the exporters are wrapped and counted, and the drops heard.
			exporters.getIfAvailable();
			meterProvider.getIfAvailable();
			return (registry) -> {
				for (CountingSpanExporter exporter : statistics.exporters()) {
					for (String outcome : List.of("exported", "failed")) {
						FunctionCounter
							.builder("telemetry.exporter.spans", exporter,
									(each) -> outcome.equals("exported") ? each.snapshot().exported()
											: each.snapshot().failed())
							.description("Finished spans by exporter and by what became of them")
							.tags("exporter", exporter.name(), "outcome", outcome)
							.register(registry);
					}
				}
				// Without the drops, no meter rather than a false zero.
				if (statistics.dropped() != null) {
					FunctionCounter
						.builder("telemetry.exporter.spans.dropped", statistics,
								(each) -> Objects.requireNonNullElse(each.dropped(), 0L))
						.description("Finished spans dropped because the export queue was full")
						.register(registry);
				}
			};
		}

	}

}
