package dev.telemetry.tracing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;

/**
 * Silences OpenTelemetry's own lines about failed or dropped span exports (a line, often with a
 * stack trace, per failed batch, which OpenTelemetry throttles to five a minute and then one)
 * because {@link SpanExportStatistics} sums them up at a bounded rate. Only those lines are
 * filtered, and the throttling notice that they cause; the same loggers still report failed log
 * and metric exports. The exception of a filtered line is kept as the error of the failed export
 * when the exporter reports none itself (the Zipkin exporter logs the cause, then fails without
 * it).
 * <p>
 * The filters are {@code java.util.logging} filters, which OpenTelemetry logs through, and so
 * global to the JVM: they are installed with the first live context and removed with the last,
 * and hold no context after it closes.
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

	private static final Object lock = new Object();

	/** The statistics of the live contexts; the filters are installed while there is one. */
	private static final List<SpanExportStatistics> active = new CopyOnWriteArrayList<>();

	/** Strong references: a logger without one may be collected, and its filter with it. */
	private static final List<Installed> installed = new ArrayList<>();

	private final SpanExportStatistics statistics;

	/**
	 * Filter the lines for the life of a context.
	 * @param statistics the statistics that take the exceptions of filtered lines
	 */
	public ExportLogFilter(SpanExportStatistics statistics) {
		this.statistics = statistics;
		synchronized (lock) {
			if (active.isEmpty()) {
				install();
			}
			active.add(statistics);
		}
	}

	@Override
	public void destroy() {
		synchronized (lock) {
			if (active.remove(this.statistics) && active.isEmpty()) {
				uninstall();
			}
		}
	}

	private static void install() {
		REPLACED.forEach((name, prefixes) -> {
			Logger logger = Logger.getLogger(name);
			Filter previous = logger.getFilter();
			PrefixFilter filter = new PrefixFilter(name, prefixes, previous);
			logger.setFilter(filter);
			installed.add(new Installed(logger, filter, previous));
		});
	}

	private static void uninstall() {
		for (Installed each : installed) {
			each.filter().disable();
			if (each.logger().getFilter() == each.filter()) {
				each.logger().setFilter(each.previous());
			}
		}
		installed.clear();
	}

	private record Installed(Logger logger, PrefixFilter filter, @Nullable Filter previous) {
	}

	private static final class PrefixFilter implements Filter {

		private final String loggerName;

		private final List<String> prefixes;

		private final @Nullable Filter previous;

		/** Set when removed; a filter that someone chained behind their own then passes all. */
		private volatile boolean disabled;

		PrefixFilter(String loggerName, List<String> prefixes, @Nullable Filter previous) {
			this.loggerName = loggerName;
			this.prefixes = prefixes;
			this.previous = previous;
		}

		void disable() {
			this.disabled = true;
		}

		@Override
		public boolean isLoggable(LogRecord record) {
			String message = record.getMessage();
			if (!this.disabled && message != null) {
				for (String prefix : this.prefixes) {
					if (message.startsWith(prefix)) {
						if (record.getThrown() != null) {
							String error = CountingSpanExporter.describe(record.getThrown());
							active.forEach((statistics) -> statistics.noteLoggedError(this.loggerName, error));
						}
						return false;
					}
				}
			}
			return this.previous == null || this.previous.isLoggable(record);
		}

	}

}
