package dev.telemetry.tracing;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Supplier;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.telemetry.bus.LogRateLimiter;
import dev.telemetry.tracing.CountingSpanExporter.ExporterSnapshot;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentSelector;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.View;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.SpanExporters;

/**
 * What became of the finished spans handed to the trace exporters: per exporter, how many were
 * exported and how many failed, the last error and the last success; and how many the full export
 * queue dropped. While spans are lost, it logs one WARN line that sums it up at most once per
 * interval, then one INFO line when every exporter works again, on the threads that export.
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
public final class SpanExportStatistics {

	private static final Log logger = LogFactory.getLog(SpanExportStatistics.class);

	private final Duration logInterval;

	private final LogRateLimiter warnings;

	private final Supplier<@Nullable Sampler> sampler;

	private final List<CountingSpanExporter> exporters = new CopyOnWriteArrayList<>();

	private volatile @Nullable CollectionRegistration drops;

	// What the last WARN line left to the next; guarded by this.
	private long failedSinceReport;

	private long droppedReported;

	private boolean reportedFailing;

	/** Create statistics that log a WARN line at most once per {@code logInterval}, showing {@code sampler}. */
	public SpanExportStatistics(Duration logInterval, Supplier<@Nullable Sampler> sampler) {
		this.logInterval = logInterval;
		this.warnings = new LogRateLimiter(logInterval);
		this.sampler = sampler;
	}

	/**
	 * Create the {@code MeterProvider} to hand the batch span processor, which reports its drops:
	 * it keeps the trace SDK's counters in memory for {@link #dropped()} and exports nothing.
	 * @return the meter provider
	 */
	public SdkMeterProvider createDropsMeterProvider() {
		MetricReader reader = new MetricReader() {

			@Override
			public void register(CollectionRegistration registration) {
				SpanExportStatistics.this.drops = registration;
			}

			@Override
			public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
				return AggregationTemporality.CUMULATIVE;
			}

			@Override
			public Aggregation getDefaultAggregation(InstrumentType instrumentType) {
				return Aggregation.drop();
			}

			@Override
			public CompletableResultCode forceFlush() {
				return CompletableResultCode.ofSuccess();
			}

			@Override
			public CompletableResultCode shutdown() {
				return CompletableResultCode.ofSuccess();
			}

		};
		InstrumentSelector traceSdkCounters = InstrumentSelector.builder()
			.setMeterName("io.opentelemetry.sdk.trace")
			.setType(InstrumentType.COUNTER)
			.build();
		return SdkMeterProvider.builder()
			.registerMetricReader(reader)
			.registerView(traceSdkCounters, View.builder().setAggregation(Aggregation.sum()).build())
			.build();
	}

	/** Count each exporter of Spring Boot's list, the one its batch span processor exports to. */
	public SpanExporters wrap(SpanExporters exporters) {
		if (!CountingSpanExporter.RESPONSES_PUBLIC) {
			logger.info("OpenTelemetry is older than 1.59: a failed span export is described by its exception, "
					+ "not by the collector's HTTP or gRPC status");
		}
		return SpanExporters.of(exporters.list().stream().map(this::wrap).toList());
	}

	// Named after the exporter's class, numbered when the name is taken.
	synchronized CountingSpanExporter wrap(SpanExporter exporter) {
		String simpleName = exporter.getClass().getSimpleName();
		String name = simpleName.isEmpty() ? exporter.getClass().getName() : simpleName;
		long same = this.exporters.stream().filter((each) -> each.name().split("#")[0].equals(name)).count();
		CountingSpanExporter counting = new CountingSpanExporter(exporter, (same > 0) ? name + "#" + (same + 1) : name,
				this);
		this.exporters.add(counting);
		return counting;
	}

	/** The exporters counted here, in the order they were registered. */
	public List<CountingSpanExporter> exporters() {
		return List.copyOf(this.exporters);
	}

	/** The {@code exporter} section of {@code /actuator/telemetry}: the sampler, each exporter, the totals. */
	public Snapshot snapshot() {
		// The totals from the exporters shown, so that they add up.
		List<ExporterSnapshot> exporters = this.exporters.stream().map(CountingSpanExporter::snapshot).toList();
		Sampler sampler = this.sampler.get();
		return new Snapshot((sampler != null) ? sampler.getDescription() : null, exporters,
				exporters.stream().mapToLong(ExporterSnapshot::exported).sum(),
				exporters.stream().mapToLong(ExporterSnapshot::failed).sum(), dropped(),
				latest(exporters, ExporterSnapshot::lastError, Comparator.comparing(ExportFailure::time)),
				latest(exporters, ExporterSnapshot::lastSuccess, Comparator.naturalOrder()));
	}

	long exported() {
		return this.exporters.stream().mapToLong(CountingSpanExporter::exported).sum();
	}

	long failed() {
		return this.exporters.stream().mapToLong(CountingSpanExporter::failed).sum();
	}

	/**
	 * Spans dropped because the export queue was full, or {@code null} when the application's own
	 * {@code MeterProvider} receives the drops.
	 */
	public @Nullable Long dropped() {
		CollectionRegistration drops = this.drops;
		if (drops == null) {
			return null;
		}
		long dropped = 0;
		for (MetricData metric : drops.collectAllMetrics()) {
			for (LongPointData point : metric.getLongSumData().getPoints()) {
				Attributes attributes = point.getAttributes();
				// processedSpans{dropped=true}, or otel.sdk.processor.span.processed{error.type=queue_full}
				if (Boolean.TRUE.equals(attributes.get(AttributeKey.booleanKey("dropped")))
						|| "queue_full".equals(attributes.get(AttributeKey.stringKey("error.type")))) {
					dropped += point.getValue();
				}
			}
		}
		return dropped;
	}

	private static <T> @Nullable T latest(List<ExporterSnapshot> exporters,
			Function<ExporterSnapshot, @Nullable T> value, Comparator<T> order) {
		return exporters.stream().map(value).filter(Objects::nonNull).max(order).orElse(null);
	}

	// When an export ends: a WARN line if spans were lost and the interval has passed, INFO once it works again.
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
		// Not the whole snapshot, whose sampler look-up may run while the context is closing.
		ExportFailure last = latest(this.exporters.stream().map(CountingSpanExporter::snapshot).toList(),
				ExporterSnapshot::lastError, Comparator.comparing(ExportFailure::time));
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
	 * The span export, after the {@code sampler} that decides which traces are exported at all;
	 * {@code dropped} is {@code null} when not counted (the application's own MeterProvider).
	 */
	@JsonInclude(JsonInclude.Include.ALWAYS)
	public record Snapshot(@Nullable String sampler, List<ExporterSnapshot> exporters, long exported, long failed,
			@Nullable Long dropped, @Nullable ExportFailure lastError, @Nullable Instant lastSuccess) {
	}

	/** One failed export: when, the exporter's name, and what went wrong, in one line. */
	public record ExportFailure(Instant time, String exporter, String error) {
	}

}
