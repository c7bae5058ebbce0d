package dev.telemetry.tracing;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.ToLongFunction;

import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * What became of the finished spans handed to the trace exporters: per exporter, how many were
 * exported and how many failed, the last error and the last success; and how many the export
 * queue dropped because it was full. {@code /actuator/telemetry} and the meters
 * {@code telemetry.exporter.spans} and {@code telemetry.exporter.spans.dropped} read it.
 * <p>
 * While spans fail to export or are dropped, it logs one WARN line that sums it up at most once
 * per interval, and one INFO line when every exporter works again. It logs on the threads that
 * export, never on one that ends a span.
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
public final class SpanExportStatistics {

	private static final Log logger = LogFactory.getLog(SpanExportStatistics.class);

	private final Duration logInterval;

	private final SpanDropsReader drops = new SpanDropsReader();

	private final List<CountingSpanExporter> exporters = new CopyOnWriteArrayList<>();

	/** Spans that failed since the last WARN line; guarded by this, like the three below. */
	private long failedSinceReport;

	private long droppedReported;

	private boolean reportedFailing;

	private long nextReportNanos = System.nanoTime();

	/**
	 * Create statistics.
	 * @param logInterval the least time between two WARN lines
	 */
	public SpanExportStatistics(Duration logInterval) {
		this.logInterval = logInterval;
	}

	/**
	 * Create the OpenTelemetry {@code MeterProvider} to hand the batch span processor: the spans
	 * that it drops are counted here. It keeps the trace SDK's counters in memory, drops every
	 * other instrument and exports nothing.
	 * @return the meter provider
	 */
	public SdkMeterProvider createDropsMeterProvider() {
		return this.drops.createMeterProvider();
	}

	/**
	 * Count the results of an exporter here, under its class name (a number is added when the
	 * name is taken).
	 */
	synchronized CountingSpanExporter wrap(SpanExporter exporter) {
		String simpleName = exporter.getClass().getSimpleName();
		String name = simpleName.isEmpty() ? exporter.getClass().getName() : simpleName;
		String unique = name;
		for (int i = 2; exporterNamed(unique); i++) {
			unique = name + "#" + i;
		}
		CountingSpanExporter counting = new CountingSpanExporter(exporter, unique, this);
		this.exporters.add(counting);
		return counting;
	}

	private boolean exporterNamed(String name) {
		return this.exporters.stream().anyMatch((exporter) -> exporter.name().equals(name));
	}

	/**
	 * The exporters counted here, in the order they were registered.
	 * @return the exporters
	 */
	public List<CountingSpanExporter> exporters() {
		return List.copyOf(this.exporters);
	}

	/**
	 * Spans exported successfully, by all exporters.
	 * @return the count
	 */
	public long exported() {
		return sum(CountingSpanExporter::exported);
	}

	/**
	 * Spans that failed to export, by all exporters.
	 * @return the count
	 */
	public long failed() {
		return sum(CountingSpanExporter::failed);
	}

	/**
	 * Spans dropped because the export queue was full, or {@code null} when drops are not heard
	 * here: the application brings its own OpenTelemetry {@code MeterProvider}, which receives them.
	 * @return the count, or {@code null}
	 */
	public @Nullable Long dropped() {
		return this.drops.dropped();
	}

	/**
	 * When an export last succeeded, by any exporter.
	 * @return the time, or {@code null} before the first success
	 */
	public @Nullable Instant lastSuccess() {
		return latest(CountingSpanExporter::lastSuccess, Comparator.naturalOrder());
	}

	/**
	 * The last export failure, of any exporter.
	 * @return the failure, or {@code null} if none failed
	 */
	public @Nullable ExportFailure lastError() {
		return latest(CountingSpanExporter::lastError, Comparator.comparing(ExportFailure::time));
	}

	private long sum(ToLongFunction<CountingSpanExporter> count) {
		return this.exporters.stream().mapToLong(count).sum();
	}

	private <T> @Nullable T latest(Function<CountingSpanExporter, @Nullable T> value, Comparator<T> order) {
		return this.exporters.stream().map(value).filter(Objects::nonNull).max(order).orElse(null);
	}

	/**
	 * Called when an export ends: logs a summary when spans were lost and the interval has passed
	 * since the last, or a line when export works again. Drops are read only then.
	 */
	synchronized void exportEnded(int failed) {
		this.failedSinceReport += failed;
		boolean failing = this.exporters.stream().anyMatch(CountingSpanExporter::failing);
		boolean recovered = this.reportedFailing && !failing;
		long now = System.nanoTime();
		boolean due = now - this.nextReportNanos >= 0;
		if (!due && !recovered) {
			return;
		}
		Long drops = this.drops.dropped();
		long dropped = (drops != null) ? drops : 0;
		long failedSince = this.failedSinceReport;
		long droppedSince = dropped - this.droppedReported;
		if (failedSince == 0 && droppedSince == 0) {
			if (recovered) {
				this.reportedFailing = false;
				logger.info("Span export works again" + totals());
			}
			return;
		}
		if (!due) {
			return;
		}
		this.nextReportNanos = now + this.logInterval.toNanos();
		this.failedSinceReport = 0;
		this.droppedReported = dropped;
		this.reportedFailing = failing;
		StringBuilder message = new StringBuilder("Span export is losing spans: ");
		if (failedSince > 0) {
			message.append(failedSince).append(" failed to export").append((droppedSince > 0) ? ", " : "");
		}
		if (droppedSince > 0) {
			message.append(droppedSince).append(" dropped because the export queue was full");
		}
		message.append(" since the last report");
		ExportFailure last = lastError();
		if (last != null && failedSince > 0) {
			message.append(". Last error from ").append(last.exporter()).append(": ").append(last.error());
		}
		message.append(recovered ? ". Span export works again" : "")
			.append(totals())
			.append(". Export runs in the background and does not slow requests down; next report in ")
			.append(format(this.logInterval))
			.append(" at the earliest; details under 'exporter' in /actuator/telemetry");
		logger.warn(message);
	}

	private String totals() {
		StringBuilder totals = new StringBuilder(". Totals:");
		for (CountingSpanExporter exporter : this.exporters) {
			totals.append(' ').append(exporter.name()).append(' ').append(exporter.exported()).append(" exported, ");
			totals.append(exporter.failed()).append(" failed;");
		}
		Long dropped = dropped();
		return (dropped != null) ? totals + " " + dropped + " dropped" : totals.substring(0, totals.length() - 1);
	}

	static String format(Duration duration) {
		long seconds = duration.toSeconds();
		if (seconds == 0) {
			return duration.toMillis() + " ms";
		}
		return (seconds % 60 == 0) ? (seconds / 60) + " min" : seconds + " s";
	}

	/**
	 * One failed export.
	 *
	 * @param time when it failed
	 * @param exporter the exporter's name
	 * @param error what went wrong, in one line
	 */
	public record ExportFailure(Instant time, String exporter, String error) {
	}

}
