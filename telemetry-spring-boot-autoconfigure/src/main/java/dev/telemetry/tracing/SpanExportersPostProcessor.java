package dev.telemetry.tracing;

import java.util.List;
import java.util.function.Supplier;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.SpanExporters;

/**
 * Wraps every exporter in Spring Boot's {@link SpanExporters} bean, the list that its batch span
 * processor exports to, so that {@link SpanExportStatistics} counts what each exported and what
 * failed. The exporter beans themselves keep their types. With no exporter at all it says so once,
 * at start-up: Spring Boot records spans and sends them nowhere without a word.
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
public final class SpanExportersPostProcessor implements BeanPostProcessor {

	private static final Log logger = LogFactory.getLog(SpanExportersPostProcessor.class);

	private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");

	private final Supplier<SpanExportStatistics> statistics;

	private final boolean exportEnabled;

	private final Supplier<@Nullable Resource> resource;

	/**
	 * Create a post-processor.
	 * @param statistics the statistics, asked for when the first {@link SpanExporters} bean is met
	 * @param exportEnabled whether trace export is enabled ({@code management.tracing.export.enabled}):
	 * without an exporter, only then is it worth a line
	 * @param resource the OpenTelemetry resource that spans are exported with, if any
	 */
	public SpanExportersPostProcessor(Supplier<SpanExportStatistics> statistics, boolean exportEnabled,
			Supplier<@Nullable Resource> resource) {
		this.statistics = statistics;
		this.exportEnabled = exportEnabled;
		this.resource = resource;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (!(bean instanceof SpanExporters exporters)) {
			return bean;
		}
		List<SpanExporter> list = exporters.list();
		if (list.isEmpty() && this.exportEnabled) {
			logger.info("No span exporter is configured: spans are recorded but sent nowhere. Set "
					+ "management.opentelemetry.tracing.export.otlp.endpoint (or OTEL_EXPORTER_OTLP_ENDPOINT) "
					+ "or add a SpanExporter bean; 'exporter' in /actuator/telemetry shows what is exported");
		}
		if (list.isEmpty() || list.stream().allMatch(CountingSpanExporter.class::isInstance)) {
			return bean;
		}
		warnIfUnnamed();
		if (!CountingSpanExporter.describesResponses()) {
			logger.info("OpenTelemetry is older than 1.59: a failed span export is described by its exception, "
					+ "not by the collector's HTTP or gRPC status");
		}
		SpanExportStatistics statistics = this.statistics.get();
		return SpanExporters.of(list.stream()
			.map((exporter) -> (exporter instanceof CountingSpanExporter) ? exporter : statistics.wrap(exporter))
			.toList());
	}

	/**
	 * Spring Boot names the service {@code unknown_service} when nothing names it, and every trace
	 * backend then files the application's spans under that name, beside every other unnamed one.
	 */
	private void warnIfUnnamed() {
		Resource resource = this.resource.get();
		String name = (resource != null) ? resource.getAttribute(SERVICE_NAME) : null;
		if (name == null || name.startsWith("unknown_service")) {
			logger.warn("Spans are exported with the service name 'unknown_service', so the trace backend cannot "
					+ "tell this application from any other unnamed one. Name it with spring.application.name (or "
					+ "management.opentelemetry.resource-attributes.service.name, or OTEL_SERVICE_NAME)");
		}
	}

}
