package dev.telemetry.tracing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;

/**
 * Silences OpenTelemetry's own lines about failed or dropped span exports (a line and a stack
 * trace per failed batch while a collector is down) because {@link SpanExportStatistics} sums
 * them up at a bounded rate. Only those messages are filtered: the same loggers still report
 * failed log and metric exports and everything else. The exception of a filtered line is kept
 * as the error of the failed export when the exporter reports none itself (the Zipkin exporter
 * logs the cause, then fails without it). Installed as a {@code java.util.logging} filter, which
 * OpenTelemetry logs through, and removed again when the context closes.
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
public final class ExportLogFilter implements DisposableBean {

	/** Logger name to the message prefixes that {@link SpanExportStatistics} replaces. */
	static final Map<String, List<String>> REPLACED = Map.of(
			"io.opentelemetry.exporter.internal.http.HttpExporter",
			List.of("Failed to export spans", "Too many log messages detected"),
			"io.opentelemetry.exporter.internal.grpc.GrpcExporter",
			List.of("Failed to export spans", "Too many log messages detected"),
			"io.opentelemetry.exporter.zipkin.ZipkinSpanExporter",
			List.of("Failed to export spans", "Too many log messages detected"),
			"io.opentelemetry.sdk.trace.export.BatchSpanProcessor", List.of("BatchSpanProcessor dropped"));

	/** Strong references: a logger without one may be collected, and its filter with it. */
	private final List<Installed> installed = new ArrayList<>();

	/**
	 * Install the filters.
	 * @param statistics the statistics that take the exceptions of filtered lines
	 */
	public ExportLogFilter(SpanExportStatistics statistics) {
		REPLACED.forEach((name, prefixes) -> {
			Logger logger = Logger.getLogger(name);
			Filter previous = logger.getFilter();
			PrefixFilter filter = new PrefixFilter(prefixes, previous, statistics);
			logger.setFilter(filter);
			this.installed.add(new Installed(logger, filter, previous));
		});
	}

	@Override
	public void destroy() {
		for (Installed each : this.installed) {
			each.filter().deactivate();
			if (each.logger().getFilter() == each.filter()) {
				each.logger().setFilter(each.previous());
			}
		}
		this.installed.clear();
	}

	private record Installed(Logger logger, PrefixFilter filter, @Nullable Filter previous) {
	}

	/**
	 * Drops the replaced lines while its context lives. Closed out of order, another context's
	 * filter may still chain to this one: then it only passes records on, and holds no statistics.
	 */
	private static final class PrefixFilter implements Filter {

		private final List<String> prefixes;

		private final @Nullable Filter previous;

		private volatile @Nullable SpanExportStatistics statistics;

		PrefixFilter(List<String> prefixes, @Nullable Filter previous, SpanExportStatistics statistics) {
			this.prefixes = prefixes;
			this.previous = previous;
			this.statistics = statistics;
		}

		void deactivate() {
			this.statistics = null;
		}

		@Override
		public boolean isLoggable(LogRecord record) {
			SpanExportStatistics statistics = this.statistics;
			String message = record.getMessage();
			if (statistics != null && message != null) {
				for (String prefix : this.prefixes) {
					if (message.startsWith(prefix)) {
						if (record.getThrown() != null) {
							statistics.noteLoggedError(CountingSpanExporter.describe(record.getThrown()));
						}
						return false;
					}
				}
			}
			return this.previous == null || this.previous.isLoggable(record);
		}

	}

}
