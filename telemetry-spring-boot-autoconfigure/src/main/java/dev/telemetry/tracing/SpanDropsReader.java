package dev.telemetry.tracing;

import io.opentelemetry.api.common.AttributeKey;
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
import org.jspecify.annotations.Nullable;

/**
 * Hears the spans that OpenTelemetry's batch span processor drops because its export queue is
 * full, the way the processor reports them: as the counter {@code processedSpans{dropped=true}}
 * (or {@code otel.sdk.processor.span.processed{error.type=queue_full}} with OpenTelemetry's
 * semantic-convention telemetry) of the {@code MeterProvider} that it is given. It reads, when
 * asked, the SDK {@code MeterProvider} that it {@linkplain #createMeterProvider() creates}; that
 * keeps the trace SDK's counters in memory, drops every other instrument and exports nothing.
 *
 * @author telemetry-spring-boot
 */
final class SpanDropsReader implements MetricReader {

	private static final AttributeKey<Boolean> DROPPED = AttributeKey.booleanKey("dropped");

	private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

	private volatile @Nullable CollectionRegistration registration;

	SdkMeterProvider createMeterProvider() {
		InstrumentSelector traceSdkCounters = InstrumentSelector.builder()
			.setMeterName("io.opentelemetry.sdk.trace")
			.setType(InstrumentType.COUNTER)
			.build();
		return SdkMeterProvider.builder()
			.registerMetricReader(this)
			.registerView(traceSdkCounters, View.builder().setAggregation(Aggregation.sum()).build())
			.build();
	}

	/**
	 * Spans dropped so far, or {@code null} before a meter provider that this reader reads exists.
	 */
	@Nullable Long dropped() {
		CollectionRegistration registration = this.registration;
		if (registration == null) {
			return null;
		}
		long dropped = 0;
		for (MetricData metric : registration.collectAllMetrics()) {
			for (LongPointData point : metric.getLongSumData().getPoints()) {
				if (Boolean.TRUE.equals(point.getAttributes().get(DROPPED))
						|| "queue_full".equals(point.getAttributes().get(ERROR_TYPE))) {
					dropped += point.getValue();
				}
			}
		}
		return dropped;
	}

	@Override
	public void register(CollectionRegistration registration) {
		this.registration = registration;
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

}
