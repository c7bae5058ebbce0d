package dev.telemetry.tracing;

import java.util.List;
import java.util.function.Supplier;

import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

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

	private final Supplier<SpanExportStatistics> statistics;

	private final boolean exportEnabled;

	/**
	 * Create a post-processor.
	 * @param statistics the statistics, asked for when the first {@link SpanExporters} bean is met
	 * @param exportEnabled whether trace export is enabled ({@code management.tracing.export.enabled}):
	 * without an exporter, only then is it worth a line
	 */
	public SpanExportersPostProcessor(Supplier<SpanExportStatistics> statistics, boolean exportEnabled) {
		this.statistics = statistics;
		this.exportEnabled = exportEnabled;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (!(bean instanceof SpanExporters exporters)) {
			return bean;
		}
		List<SpanExporter> list = exporters.list();
		if (list.isEmpty()) {
			if (!this.exportEnabled) {
				return bean;
			}
			logger.info("No span exporter is configured: spans are recorded but sent nowhere. Set "
					+ "management.opentelemetry.tracing.export.otlp.endpoint (or OTEL_EXPORTER_OTLP_ENDPOINT) "
					+ "or add a SpanExporter bean; 'exporter' in /actuator/telemetry shows what is exported");
			return bean;
		}
		if (list.stream().allMatch(CountingSpanExporter.class::isInstance)) {
			return bean;
		}
		if (!CountingSpanExporter.describesResponses()) {
			logger.info("OpenTelemetry is older than 1.59: a failed span export is described by its exception, "
					+ "not by the collector's HTTP or gRPC status");
		}
		SpanExportStatistics statistics = this.statistics.get();
		return SpanExporters.of(list.stream()
			.map((exporter) -> (exporter instanceof CountingSpanExporter) ? exporter
					: new CountingSpanExporter(exporter, statistics))
			.toList());
	}

}
