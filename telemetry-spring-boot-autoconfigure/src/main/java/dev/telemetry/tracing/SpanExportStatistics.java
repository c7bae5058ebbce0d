package dev.telemetry.tracing;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * What became of the finished spans handed to the trace exporters: how many were exported, how
 * many failed to export, how many the export queue dropped because it was full, the last error and
 * the last success. It answers "is my collector getting anything?" in {@code /actuator/telemetry}
 * and in the meter {@code telemetry.exporter.spans}.
 * <p>
 * It also owns the export log: while export fails it writes one WARN line that sums up the
 * failures and drops at most once per {@code logInterval} (instead of a line and a stack trace per
 * failed batch), and one INFO line when export succeeds again.
 * <p>
 * Thread-safe. Recording a drop, which happens on the thread that ends the span, costs a counter
 * increment and a time check.
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
public final class SpanExportStatistics {

	private static final Log logger = LogFactory.getLog(SpanExportStatistics.class);

	private final long logIntervalNanos;

	private final List<String> exporters = new CopyOnWriteArrayList<>();

	private final LongAdder exported = new LongAdder();

	private final LongAdder failed = new LongAdder();

	private final LongAdder dropped = new LongAdder();

	private volatile boolean dropsCounted;

	private volatile @Nullable Instant lastSuccess;

	private volatile @Nullable ExportFailure lastError;

	/** Failed and dropped spans since the last log line. */
	private final LongAdder failedSinceReport = new LongAdder();

	private final LongAdder droppedSinceReport = new LongAdder();

	/** Whether the last export ended in failure. */
	private volatile boolean failing;

	/** Whether the last log line said that export fails, so that a recovery is worth a line. */
	private final AtomicBoolean reportedFailing = new AtomicBoolean();

	private final AtomicLong nextReportNanos = new AtomicLong(System.nanoTime());

	/** The exception of the last export failure that an exporter logged rather than returned. */
	private final AtomicReference<@Nullable String> loggedError = new AtomicReference<>();

	/**
	 * Create statistics that log at most once per interval.
	 * @param logInterval the least time between two export log lines; zero logs every change
	 */
	public SpanExportStatistics(Duration logInterval) {
		this.logIntervalNanos = logInterval.toNanos();
	}

	/**
	 * Note an exporter whose results are counted here.
	 * @param exporter the exporter's name
	 */
	public void register(String exporter) {
		this.exporters.add(exporter);
	}

	/**
	 * Note that dropped spans are counted: the export queue reports its drops here.
	 */
	public void countDrops() {
		this.dropsCounted = true;
	}

	/**
	 * Record spans exported successfully.
	 * @param exporter the exporter's name
	 * @param spans the number of spans
	 */
	public void exported(String exporter, int spans) {
		this.exported.add(spans);
		this.lastSuccess = Instant.now();
		this.failing = false;
		report();
	}

	/**
	 * Record spans that failed to export.
	 * @param exporter the exporter's name
	 * @param spans the number of spans
	 * @param error what went wrong, in one line
	 */
	public void failed(String exporter, int spans, String error) {
		this.failed.add(spans);
		this.failedSinceReport.add(spans);
		this.lastError = new ExportFailure(Instant.now(), exporter, error);
		this.failing = true;
		report();
	}

	/**
	 * Keep the error of an export failure that an exporter logged instead of returning it.
	 * @param error the error, in one line
	 */
	public void noteLoggedError(String error) {
		this.loggedError.set(error);
	}

	/**
	 * The last error kept by {@link #noteLoggedError(String)}. It stays until the next one:
	 * OpenTelemetry throttles its exporters' logs to a few lines a minute, so a failure during an
	 * outage often has no line of its own, but the same cause.
	 * @return the error, or {@code null}
	 */
	@Nullable String lastLoggedError() {
		return this.loggedError.get();
	}

	/**
	 * Record spans dropped before export because the export queue was full.
	 * @param spans the number of spans
	 */
	public void dropped(long spans) {
		this.dropped.add(spans);
		this.droppedSinceReport.add(spans);
		report();
	}

	/**
	 * The names of the exporters counted here, in registration order.
	 * @return the exporter names
	 */
	public List<String> exporters() {
		return List.copyOf(this.exporters);
	}

	/**
	 * Spans exported successfully.
	 * @return the count
	 */
	public long exported() {
		return this.exported.sum();
	}

	/**
	 * Spans that failed to export.
	 * @return the count
	 */
	public long failed() {
		return this.failed.sum();
	}

	/**
	 * Spans dropped because the export queue was full, or {@code null} when drops are not visible
	 * here (the application supplies its own OpenTelemetry {@code MeterProvider}, which then
	 * receives them as {@code processedSpans{dropped=true}}).
	 * @return the count, or {@code null}
	 */
	public @Nullable Long dropped() {
		return this.dropsCounted ? this.dropped.sum() : null;
	}

	/**
	 * When an export last succeeded.
	 * @return the time, or {@code null} before the first success
	 */
	public @Nullable Instant lastSuccess() {
		return this.lastSuccess;
	}

	/**
	 * The last export failure.
	 * @return the failure, or {@code null} if none failed
	 */
	public @Nullable ExportFailure lastError() {
		return this.lastError;
	}

	private void report() {
		boolean trouble = this.failedSinceReport.sum() > 0 || this.droppedSinceReport.sum() > 0;
		boolean recovered = !this.failing && this.reportedFailing.get();
		if (!trouble && !recovered) {
			return;
		}
		long now = System.nanoTime();
		long next = this.nextReportNanos.get();
		if (now - next < 0 || !this.nextReportNanos.compareAndSet(next, now + this.logIntervalNanos)) {
			return;
		}
		long failedSince = this.failedSinceReport.sumThenReset();
		long droppedSince = this.droppedSinceReport.sumThenReset();
		if (failedSince == 0 && droppedSince == 0) {
			if (this.reportedFailing.compareAndSet(true, false)) {
				logger.info("Span export works again" + exporterSuffix() + totals());
			}
			return;
		}
		this.reportedFailing.set(this.failing);
		StringBuilder message = new StringBuilder("Span export is losing spans: ");
		if (failedSince > 0) {
			message.append(failedSince).append(" failed to export");
		}
		if (droppedSince > 0) {
			message.append((failedSince > 0) ? ", " : "")
				.append(droppedSince)
				.append(" dropped because the export queue was full");
		}
		message.append(" since the last report");
		ExportFailure error = this.lastError;
		if (error != null && failedSince > 0) {
			message.append(". Last error from ").append(error.exporter()).append(": ").append(error.error());
		}
		if (failedSince > 0 && !this.failing) {
			message.append(". Span export works again");
		}
		message.append(totals())
			.append(". Export runs in the background and does not slow requests down; next report in ")
			.append(format(Duration.ofNanos(this.logIntervalNanos)))
			.append(" at the earliest; details under 'exporter' in /actuator/telemetry");
		logger.warn(message);
	}

	static String format(Duration duration) {
		long seconds = duration.toSeconds();
		if (seconds == 0) {
			return duration.toMillis() + " ms";
		}
		return (seconds % 60 == 0) ? (seconds / 60) + " min" : seconds + " s";
	}

	private String exporterSuffix() {
		List<String> names = this.exporters;
		return names.isEmpty() ? "" : " (" + String.join(", ", names) + ")";
	}

	private String totals() {
		Long drops = dropped();
		return ". Totals: " + exported() + " exported, " + failed() + " failed"
				+ ((drops != null) ? ", " + drops + " dropped" : "");
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
