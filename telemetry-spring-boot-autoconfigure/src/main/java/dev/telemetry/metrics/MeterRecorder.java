package dev.telemetry.metrics;

import java.util.List;
import java.util.concurrent.TimeUnit;
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

	static MeterRecorder create(String name, MetricDefinition definition, List<Tag> tags, MeterRegistry registry) {
		MetricUnit unit = definition.unit();
		boolean histogram = definition.type() == MetricType.DISTRIBUTION;
		switch (definition.type()) {
			case COUNTER -> {
				Counter counter = Counter.builder(name).description(definition.description()).tags(tags).register(registry);
				return (value) -> counter.increment();
			}
			case SUM -> {
				Counter counter = Counter.builder(name)
					.description(definition.description())
					.baseUnit(unit.baseUnit())
					.tags(tags)
					.register(registry);
				return (value) -> counter.increment(unit.toBase(value));
			}
			case LAST_VALUE -> {
				AtomicLong bits = new AtomicLong(Double.doubleToLongBits(Double.NaN));
				Gauge.builder(name, bits, (holder) -> Double.longBitsToDouble(holder.get()))
					.description(definition.description())
					.baseUnit(unit.baseUnit())
					.tags(tags)
					.strongReference(true)
					.register(registry);
				return (value) -> bits.set(Double.doubleToLongBits(unit.toBase(value)));
			}
			default -> {
				if (unit.isTime()) {
					Timer timer = Timer.builder(name)
						.description(definition.description())
						.tags(tags)
						.publishPercentileHistogram(histogram)
						.register(registry);
					return (value) -> timer.record(unit.toNanos(value), TimeUnit.NANOSECONDS);
				}
				DistributionSummary summary = DistributionSummary.builder(name)
					.description(definition.description())
					.baseUnit(unit.baseUnit())
					.tags(tags)
					.publishPercentileHistogram(histogram)
					.register(registry);
				return summary::record;
			}
		}
	}

}
