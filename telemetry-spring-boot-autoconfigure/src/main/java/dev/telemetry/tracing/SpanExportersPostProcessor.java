package dev.telemetry.tracing;

import java.util.List;
import java.util.function.Supplier;

import io.opentelemetry.sdk.trace.export.SpanExporter;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.SpanExporters;

/**
 * Wraps every exporter in Spring Boot's {@link SpanExporters} bean, the list that its batch span
 * processor exports to, so that {@link SpanExportStatistics} counts what each exported and what
 * failed. The exporter beans themselves keep their types.
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
public final class SpanExportersPostProcessor implements BeanPostProcessor {

	private final Supplier<SpanExportStatistics> statistics;

	/**
	 * Create a post-processor.
	 * @param statistics the statistics, asked for when the first {@link SpanExporters} bean is met
	 */
	public SpanExportersPostProcessor(Supplier<SpanExportStatistics> statistics) {
		this.statistics = statistics;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (!(bean instanceof SpanExporters exporters)) {
			return bean;
		}
		List<SpanExporter> list = exporters.list();
		if (list.stream().allMatch(CountingSpanExporter.class::isInstance)) {
			return bean;
		}
		SpanExportStatistics statistics = this.statistics.get();
		return SpanExporters.of(list.stream()
			.map((exporter) -> (exporter instanceof CountingSpanExporter) ? exporter
					: new CountingSpanExporter(exporter, statistics))
			.toList());
	}

}
