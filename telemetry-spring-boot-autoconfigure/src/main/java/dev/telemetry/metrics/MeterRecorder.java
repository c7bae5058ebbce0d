package dev.telemetry.metrics;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;

/**
 * Records values into one Micrometer meter of one series.
 *
 * @author telemetry-spring-boot
 */
@FunctionalInterface
interface MeterRecorder {

	void record(double value);

	static MeterRecorder create(MetricDefinition definition, List<Tag> tags, MeterRegistry registry) {
		MetricUnit unit = definition.unit();
		return switch (definition.type()) {
			case COUNTER -> {
				Counter counter = Counter.builder(definition.name())
					.description(definition.description())
					.tags(tags)
					.register(registry);
				yield (value) -> counter.increment();
			}
			case SUM -> {
				Counter counter = Counter.builder(definition.name())
					.description(definition.description())
					.baseUnit(unit.baseUnit())
					.tags(tags)
					.register(registry);
				yield (value) -> counter.increment(unit.toBase(value));
			}
			case LAST_VALUE -> {
				AtomicLong bits = new AtomicLong(Double.doubleToLongBits(Double.NaN));
				Gauge.builder(definition.name(), bits, (holder) -> Double.longBitsToDouble(holder.get()))
					.description(definition.description())
					.baseUnit(unit.baseUnit())
					.tags(tags)
					.strongReference(true)
					.register(registry);
				yield (value) -> bits.set(Double.doubleToLongBits(unit.toBase(value)));
			}
			case SUMMARY, DISTRIBUTION -> unit.isTime() ? timer(definition, tags, registry)
					: summary(definition, tags, registry);
		};
	}

	private static MeterRecorder timer(MetricDefinition definition, List<Tag> tags, MeterRegistry registry) {
		MetricUnit unit = definition.unit();
		Duration[] slo = new Duration[definition.slo().length];
		for (int i = 0; i < slo.length; i++) {
			slo[i] = Duration.ofNanos(unit.toNanos(definition.slo()[i]));
		}
		Timer timer = Timer.builder(definition.name())
			.description(definition.description())
			.tags(tags)
			.publishPercentiles(definition.percentiles())
			.publishPercentileHistogram(definition.histogram())
			.serviceLevelObjectives(slo)
			.register(registry);
		return (value) -> timer.record(Duration.ofNanos(unit.toNanos(value)));
	}

	private static MeterRecorder summary(MetricDefinition definition, List<Tag> tags, MeterRegistry registry) {
		DistributionSummary summary = DistributionSummary.builder(definition.name())
			.description(definition.description())
			.baseUnit(definition.unit().baseUnit())
			.tags(tags)
			.publishPercentiles(definition.percentiles())
			.publishPercentileHistogram(definition.histogram())
			.serviceLevelObjectives(definition.slo())
			.register(registry);
		return summary::record;
	}

}
