package dev.telemetry.tracing;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import dev.telemetry.bus.LogRateLimiter;
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

	/** What the last WARN line left to the next; guarded by this. */
	private long failedSinceReport;

	private long droppedReported;

	private boolean reportedFailing;

	private final LogRateLimiter warnings;

	/**
	 * Create statistics.
	 * @param logInterval the least time between two WARN lines
	 */
	public SpanExportStatistics(Duration logInterval) {
		this.logInterval = logInterval;
		this.warnings = new LogRateLimiter(logInterval);
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
	 * Count an exporter's results here, under its class name, numbered when the name is taken.
	 */
	synchronized CountingSpanExporter wrap(SpanExporter exporter) {
		String name = exporter.getClass().getSimpleName().isEmpty() ? exporter.getClass().getName()
				: exporter.getClass().getSimpleName();
		String unique = name;
		for (int i = 2; names().contains(unique); i++) {
			unique = name + "#" + i;
		}
		CountingSpanExporter counting = new CountingSpanExporter(exporter, unique, this);
		this.exporters.add(counting);
		return counting;
	}

	private List<String> names() {
		return this.exporters.stream().map(CountingSpanExporter::name).toList();
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
		return this.exporters.stream().mapToLong(CountingSpanExporter::exported).sum();
	}

	/**
	 * Spans that failed to export, by all exporters.
	 * @return the count
	 */
	public long failed() {
		return this.exporters.stream().mapToLong(CountingSpanExporter::failed).sum();
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

	private <T> @Nullable T latest(Function<CountingSpanExporter, @Nullable T> value, Comparator<T> order) {
		return this.exporters.stream().map(value).filter(Objects::nonNull).max(order).orElse(null);
	}

	/**
	 * Called when an export ends: a WARN line when spans were lost and the interval has passed,
	 * an INFO line when export works again.
	 */
	synchronized void exportEnded(int failed) {
		this.failedSinceReport += failed;
		boolean failing = this.exporters.stream().anyMatch(CountingSpanExporter::failing);
		long dropped = Objects.requireNonNullElse(dropped(), 0L);
		long failedSince = this.failedSinceReport;
		long droppedSince = dropped - this.droppedReported;
		if (failedSince == 0 && droppedSince == 0) {
			if (this.reportedFailing && !failing) {
				this.reportedFailing = false;
				logger.info("Span export works again" + totals());
			}
			return;
		}
		if (this.warnings.tryAcquire() < 0) {
			return;
		}
		ExportFailure last = lastError();
		logger.warn("Span export is losing spans: " + ((failedSince > 0) ? failedSince + " failed to export" : "")
				+ ((failedSince > 0 && droppedSince > 0) ? ", " : "")
				+ ((droppedSince > 0) ? droppedSince + " dropped because the export queue was full" : "")
				+ " since the last report"
				+ ((failedSince > 0 && last != null) ? ". Last error from " + last.exporter() + ": " + last.error() : "")
				+ ((this.reportedFailing && !failing) ? ". Span export works again" : "") + totals()
				+ ". Export runs in the background and does not slow requests down; next report in "
				+ format(this.logInterval) + " at the earliest; details under 'exporter' in /actuator/telemetry");
		this.failedSinceReport = 0;
		this.droppedReported = dropped;
		this.reportedFailing = failing;
	}

	private String totals() {
		StringBuilder totals = new StringBuilder(". Totals:");
		this.exporters.forEach((exporter) -> totals.append(' ').append(exporter.name()).append(' ')
			.append(exporter.exported()).append(" exported, ").append(exporter.failed()).append(" failed;"));
		Long dropped = dropped();
		return (dropped != null) ? totals + " " + dropped + " dropped" : totals.substring(0, totals.length() - 1);
	}

	static String format(Duration duration) {
		long seconds = duration.toSeconds();
		return (seconds == 0) ? duration.toMillis() + " ms"
				: (seconds % 60 == 0) ? (seconds / 60) + " min" : seconds + " s";
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
