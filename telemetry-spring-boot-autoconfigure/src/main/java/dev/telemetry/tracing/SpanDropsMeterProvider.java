package dev.telemetry.tracing;

import java.util.function.Consumer;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleCounterBuilder;
import io.opentelemetry.api.metrics.DoubleGaugeBuilder;
import io.opentelemetry.api.metrics.DoubleHistogramBuilder;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongCounterBuilder;
import io.opentelemetry.api.metrics.LongUpDownCounterBuilder;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.MeterBuilder;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.api.metrics.ObservableLongCounter;
import io.opentelemetry.api.metrics.ObservableLongMeasurement;
import io.opentelemetry.context.Context;

/**
 * An OpenTelemetry {@link MeterProvider} that hears one thing: the spans that the SDK's
 * {@code BatchSpanProcessor} drops because its queue is full. The processor reports drops only to
 * a {@code MeterProvider} (Spring Boot passes it one when such a bean exists); without one they
 * vanish silently. Drops go to {@link SpanExportStatistics}; every instrument, that one included,
 * also goes to the meter provider that Spring Boot would have used without this bean: OpenTelemetry's
 * no-op one.
 * <p>
 * It reads the processor's default (legacy) instrument, {@code processedSpans} with
 * {@code dropped=true}, which is what Spring Boot's processor emits.
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
public final class SpanDropsMeterProvider implements MeterProvider {

	static final String SCOPE = "io.opentelemetry.sdk.trace";

	static final String PROCESSED_SPANS = "processedSpans";

	static final AttributeKey<Boolean> DROPPED = AttributeKey.booleanKey("dropped");

	private final SpanExportStatistics statistics;

	/**
	 * Create a meter provider that reports drops to the given statistics.
	 * @param statistics the statistics
	 */
	public SpanDropsMeterProvider(SpanExportStatistics statistics) {
		this.statistics = statistics;
		statistics.countDrops();
	}

	@Override
	public MeterBuilder meterBuilder(String instrumentationScopeName) {
		MeterBuilder builder = MeterProvider.noop().meterBuilder(instrumentationScopeName);
		return SCOPE.equals(instrumentationScopeName) ? new DropsMeterBuilder(builder) : builder;
	}

	private final class DropsMeterBuilder implements MeterBuilder {

		private final MeterBuilder delegate;

		DropsMeterBuilder(MeterBuilder delegate) {
			this.delegate = delegate;
		}

		@Override
		public MeterBuilder setSchemaUrl(String schemaUrl) {
			this.delegate.setSchemaUrl(schemaUrl);
			return this;
		}

		@Override
		public MeterBuilder setInstrumentationVersion(String instrumentationScopeVersion) {
			this.delegate.setInstrumentationVersion(instrumentationScopeVersion);
			return this;
		}

		@Override
		public Meter build() {
			return new DropsMeter(this.delegate.build());
		}

	}

	private final class DropsMeter implements Meter {

		private final Meter delegate;

		DropsMeter(Meter delegate) {
			this.delegate = delegate;
		}

		@Override
		public LongCounterBuilder counterBuilder(String name) {
			LongCounterBuilder builder = this.delegate.counterBuilder(name);
			return PROCESSED_SPANS.equals(name) ? new DropsCounterBuilder(builder) : builder;
		}

		@Override
		public LongUpDownCounterBuilder upDownCounterBuilder(String name) {
			return this.delegate.upDownCounterBuilder(name);
		}

		@Override
		public DoubleHistogramBuilder histogramBuilder(String name) {
			return this.delegate.histogramBuilder(name);
		}

		@Override
		public DoubleGaugeBuilder gaugeBuilder(String name) {
			return this.delegate.gaugeBuilder(name);
		}

	}

	private final class DropsCounterBuilder implements LongCounterBuilder {

		private final LongCounterBuilder delegate;

		DropsCounterBuilder(LongCounterBuilder delegate) {
			this.delegate = delegate;
		}

		@Override
		public LongCounterBuilder setDescription(String description) {
			this.delegate.setDescription(description);
			return this;
		}

		@Override
		public LongCounterBuilder setUnit(String unit) {
			this.delegate.setUnit(unit);
			return this;
		}

		@Override
		public DoubleCounterBuilder ofDoubles() {
			return this.delegate.ofDoubles();
		}

		@Override
		public LongCounter build() {
			return new DropsCounter(this.delegate.build());
		}

		@Override
		public ObservableLongCounter buildWithCallback(Consumer<ObservableLongMeasurement> callback) {
			return this.delegate.buildWithCallback(callback);
		}

	}

	private final class DropsCounter implements LongCounter {

		private final LongCounter delegate;

		DropsCounter(LongCounter delegate) {
			this.delegate = delegate;
		}

		@Override
		public void add(long value) {
			this.delegate.add(value);
		}

		@Override
		public void add(long value, Attributes attributes) {
			this.delegate.add(value, attributes);
			countDrops(value, attributes);
		}

		@Override
		public void add(long value, Attributes attributes, Context context) {
			this.delegate.add(value, attributes, context);
			countDrops(value, attributes);
		}

		private void countDrops(long value, Attributes attributes) {
			if (Boolean.TRUE.equals(attributes.get(DROPPED))) {
				SpanDropsMeterProvider.this.statistics.dropped(value);
			}
		}

	}

}
