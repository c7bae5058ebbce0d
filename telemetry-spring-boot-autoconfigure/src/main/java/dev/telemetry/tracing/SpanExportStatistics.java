package dev.telemetry.tracing;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * What became of the finished spans handed to the trace exporters, per exporter: how many were
 * exported, how many failed to export, how many are being exported now, the last error and the
 * last success; and how many the export queue dropped because it was full. It answers "is my
 * collector getting anything?" in {@code /actuator/telemetry} and in the meters
 * {@code telemetry.exporter.spans} and {@code telemetry.exporter.spans.dropped}.
 * <p>
 * It also owns the export log: while export fails or spans are dropped it writes one WARN line
 * that sums it up at most once per {@code logInterval} (instead of a line and a stack trace per
 * failed batch), and one INFO line when every exporter succeeds again. Lines are written from the
 * export callbacks, never from the thread that ends a span: recording a drop there costs a counter
 * increment.
 * <p>
 * Thread-safe.
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
public final class SpanExportStatistics {

	private static final Log logger = LogFactory.getLog(SpanExportStatistics.class);

	private final long logIntervalNanos;

	private final List<Exporter> exporters = new CopyOnWriteArrayList<>();

	private final LongAdder dropped = new LongAdder();

	private volatile boolean dropsCounted;

	/** Failed and dropped spans since the last log line. */
	private final LongAdder failedSinceReport = new LongAdder();

	private final AtomicLong droppedReported = new AtomicLong();

	/** Whether the last log line said that export fails, so that a recovery is worth a line. */
	private final AtomicBoolean reportedFailing = new AtomicBoolean();

	private final AtomicLong nextReportNanos = new AtomicLong(System.nanoTime());

	/** Exceptions that exporters logged instead of returning, by logger name. */
	private final Map<String, String> loggedErrors = new ConcurrentHashMap<>();

	/**
	 * Create statistics that log at most once per interval.
	 * @param logInterval the least time between two export log lines
	 */
	public SpanExportStatistics(Duration logInterval) {
		this.logIntervalNanos = logInterval.toNanos();
	}

	/**
	 * Count the results of an exporter here.
	 * @param name the exporter's name; a number is added when the name is taken
	 * @return the exporter's own statistics
	 */
	public synchronized Exporter register(String name) {
		String unique = name;
		for (int i = 2; isTaken(unique); i++) {
			unique = name + "#" + i;
		}
		Exporter exporter = new Exporter(unique);
		this.exporters.add(exporter);
		return exporter;
	}

	private boolean isTaken(String name) {
		return this.exporters.stream().anyMatch((exporter) -> exporter.name.equals(name));
	}

	/**
	 * Note that dropped spans are counted: the export queue reports its drops here.
	 */
	public void countDrops() {
		this.dropsCounted = true;
	}

	/**
	 * Record spans dropped before export because the export queue was full. Called on the thread
	 * that ends the span: it only counts; the next export reports it.
	 * @param spans the number of spans
	 */
	public void dropped(long spans) {
		this.dropped.add(spans);
	}

	/**
	 * Keep the error of an export failure that an exporter logged instead of returning it.
	 * @param loggerName the logger that logged it, the exporter's class name for the exporters
	 * that do this
	 * @param error the error, in one line
	 */
	public void noteLoggedError(String loggerName, String error) {
		this.loggedErrors.put(loggerName, error);
	}

	/**
	 * The last error kept by {@link #noteLoggedError} for a logger. It stays until the next one:
	 * OpenTelemetry throttles its exporters' logs to a few lines a minute, so a failure during an
	 * outage often has no line of its own, but the same cause.
	 */
	@Nullable String lastLoggedError(String loggerName) {
		return this.loggedErrors.get(loggerName);
	}

	/**
	 * The exporters counted here, in registration order.
	 * @return the exporters
	 */
	public List<Exporter> exporters() {
		return List.copyOf(this.exporters);
	}

	/**
	 * Spans exported successfully, by all exporters.
	 * @return the count
	 */
	public long exported() {
		return this.exporters.stream().mapToLong(Exporter::exported).sum();
	}

	/**
	 * Spans that failed to export, by all exporters.
	 * @return the count
	 */
	public long failed() {
		return this.exporters.stream().mapToLong(Exporter::failed).sum();
	}

	/**
	 * Spans handed to the exporters whose export has not ended yet.
	 * @return the count
	 */
	public long inFlight() {
		return this.exporters.stream().mapToLong(Exporter::inFlight).sum();
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
	 * When an export last succeeded, by any exporter.
	 * @return the time, or {@code null} before the first success
	 */
	public @Nullable Instant lastSuccess() {
		return latest(Exporter::lastSuccess, (success) -> success);
	}

	/**
	 * The last export failure, of any exporter.
	 * @return the failure, or {@code null} if none failed
	 */
	public @Nullable ExportFailure lastError() {
		return latest(Exporter::lastError, ExportFailure::time);
	}

	/**
	 * The latest of a value that each exporter may have, by its time.
	 */
	private <T> @Nullable T latest(Function<Exporter, @Nullable T> value, Function<T, Instant> time) {
		@Nullable T last = null;
		for (Exporter exporter : this.exporters) {
			@Nullable T candidate = value.apply(exporter);
			if (candidate != null && (last == null || time.apply(candidate).isAfter(time.apply(last)))) {
				last = candidate;
			}
		}
		return last;
	}

	private boolean anyFailing() {
		return this.exporters.stream().anyMatch((exporter) -> exporter.failing);
	}

	private void report(@Nullable ExportFailure error) {
		long droppedSince = this.dropped.sum() - this.droppedReported.get();
		boolean failing = anyFailing();
		boolean trouble = this.failedSinceReport.sum() > 0 || droppedSince > 0;
		boolean recovered = !failing && this.reportedFailing.get();
		if (!trouble && !recovered) {
			return;
		}
		if (!trouble) {
			// Not rate-limited: at most one per WARN, which is.
			if (this.reportedFailing.compareAndSet(true, false)) {
				logger.info("Span export works again" + totals());
			}
			return;
		}
		long now = System.nanoTime();
		long next = this.nextReportNanos.get();
		if (now - next < 0 || !this.nextReportNanos.compareAndSet(next, now + this.logIntervalNanos)) {
			return;
		}
		long failedSince = this.failedSinceReport.sumThenReset();
		long droppedTotal = this.dropped.sum();
		droppedSince = droppedTotal - this.droppedReported.getAndSet(droppedTotal);
		this.reportedFailing.set(failing);
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
		ExportFailure last = (error != null) ? error : lastError();
		if (last != null && failedSince > 0) {
			message.append(". Last error from ").append(last.exporter()).append(": ").append(last.error());
		}
		if (recovered) {
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

	private String totals() {
		Long drops = dropped();
		StringBuilder totals = new StringBuilder(". Totals:");
		for (Exporter exporter : this.exporters) {
			totals.append(' ')
				.append(exporter.name)
				.append(' ')
				.append(exporter.exported())
				.append(" exported, ")
				.append(exporter.failed())
				.append(" failed;");
		}
		if (drops != null) {
			totals.append(' ').append(drops).append(" dropped");
		}
		else {
			totals.setLength(totals.length() - 1);
		}
		return totals.toString();
	}

	/**
	 * One exporter's results.
	 */
	public final class Exporter {

		private final String name;

		private final LongAdder exported = new LongAdder();

		private final LongAdder failed = new LongAdder();

		private final LongAdder inFlight = new LongAdder();

		private volatile boolean failing;

		private volatile @Nullable Instant lastSuccess;

		private volatile @Nullable ExportFailure lastError;

		Exporter(String name) {
			this.name = name;
		}

		/**
		 * Record spans handed to the exporter.
		 * @param spans the number of spans
		 */
		public void exporting(int spans) {
			this.inFlight.add(spans);
		}

		/**
		 * Record spans exported successfully.
		 * @param spans the number of spans
		 */
		public void exported(int spans) {
			this.inFlight.add(-spans);
			this.exported.add(spans);
			this.lastSuccess = Instant.now();
			this.failing = false;
			report(null);
		}

		/**
		 * Record spans that failed to export.
		 * @param spans the number of spans
		 * @param error what went wrong, in one line
		 */
		public void failed(int spans, String error) {
			this.inFlight.add(-spans);
			this.failed.add(spans);
			ExportFailure failure = new ExportFailure(Instant.now(), this.name, error);
			this.lastError = failure;
			this.failing = true;
			SpanExportStatistics.this.failedSinceReport.add(spans);
			report(failure);
		}

		/**
		 * The exporter's name.
		 * @return the name
		 */
		public String name() {
			return this.name;
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
		 * Spans handed to the exporter whose export has not ended.
		 * @return the count
		 */
		public long inFlight() {
			return this.inFlight.sum();
		}

		/**
		 * When an export last succeeded.
		 * @return the time, or {@code null}
		 */
		public @Nullable Instant lastSuccess() {
			return this.lastSuccess;
		}

		/**
		 * The last failure.
		 * @return the failure, or {@code null}
		 */
		public @Nullable ExportFailure lastError() {
			return this.lastError;
		}

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
