package dev.telemetry.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleConsumer;
import java.util.stream.IntStream;

import dev.telemetry.EventName;
import dev.telemetry.Redaction;
import dev.telemetry.bus.TextLimit;
import dev.telemetry.metrics.MetricDefinition.Type;
import dev.telemetry.metrics.MetricDefinition.Unit;
import dev.telemetry.metrics.MetricStatisticsSource.MetricStatistics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * One configured metric: one Micrometer meter per tag set, created once and cached, and the
 * cardinality guard. Past {@code maxSeries} tag sets, new tag sets are recorded under one series
 * whose tag values are all {@value #OTHER}, the overflow is counted, and one WARN names the metric
 * and the tag with the most distinct values. A missing tag is recorded as {@value #NONE}; an event
 * without the measurement records nothing and is counted as skipped.
 *
 * @author telemetry-spring-boot
 */
final class EventMetric {

	private static final String OTHER = "OTHER";

	private static final String NONE = "none";

	private static final Log logger = LogFactory.getLog(EventMetric.class);

	private final String name;

	private final MetricDefinition definition;

	private final int maxSeries;

	private final MeterRegistry registry;

	private final Redaction redaction;

	private final String[] tagKeys;

	private final Map<SeriesKey, DoubleConsumer> series = new ConcurrentHashMap<>();

	private final SeriesKey other;

	private final LongAdder overflow = new LongAdder();

	private final LongAdder skipped = new LongAdder();

	/** The {@value #OTHER} series, once past {@code maxSeries}. */
	private volatile @Nullable DoubleConsumer overflowMeter;

	EventMetric(String name, MetricDefinition definition, int maxSeries, MeterRegistry registry, Redaction redaction) {
		this.name = name;
		this.definition = definition;
		this.maxSeries = maxSeries;
		this.registry = registry;
		this.redaction = redaction;
		this.tagKeys = definition.tags().toArray(new String[0]);
		this.other = new SeriesKey(Collections.nCopies(this.tagKeys.length, OTHER).toArray(new String[0]));
	}

	void record(Map<String, Number> measurements, Map<String, Object> metadata) {
		double value = 1;
		if (this.definition.type() != Type.COUNTER) {
			Number measured = measurements.get(this.definition.measurement());
			if (measured == null) {
				this.skipped.increment();
				return;
			}
			value = measured.doubleValue();
		}
		String[] values = new String[this.tagKeys.length];
		for (int i = 0; i < values.length; i++) {
			Object tag = metadata.get(this.tagKeys[i]);
			values[i] = (tag == null) ? NONE : this.redaction.isSensitive(this.tagKeys[i]) ? Redaction.REDACTED
					: TextLimit.METER_TAG.cut(tag.toString());
		}
		SeriesKey key = new SeriesKey(values);
		DoubleConsumer meter = this.series.get(key);
		DoubleConsumer overflowMeter = this.overflowMeter;
		if (meter == null && overflowMeter != null) {
			// Past the cap no series is added: a key has one by now or never will, and a flood of ids takes no lock.
			meter = this.series.get(key);
			if (meter == null) {
				this.overflow.increment();
				meter = overflowMeter;
			}
		}
		((meter != null) ? meter : newSeries(key)).accept(value);
	}

	// A new tag set past maxSeries is recorded under the OTHER series, created with one WARN.
	private synchronized DoubleConsumer newSeries(SeriesKey key) {
		SeriesKey series = key;
		if (!this.series.containsKey(key) && this.series.size() >= this.maxSeries) {
			this.overflow.increment();
			series = this.other;
			// Not whether the map holds OTHER: a real tag set may have had all its values "OTHER".
			if (this.overflowMeter == null) {
				logger.warn("Telemetry metric '" + this.name + "' reached its limit of " + this.maxSeries
						+ " tag sets; further tag sets are recorded with the value '" + OTHER + "'. The tag '"
						+ busiestTag() + "' has the most distinct values: a tag should have few values (not ids);"
						+ " remove it from " + MetricDefinition.property(this.name, "tags") + " or raise "
						+ MetricDefinition.property(this.name, "max-series"));
			}
		}
		DoubleConsumer meter = this.series.computeIfAbsent(series, this::meter);
		if (series != key) {
			this.overflowMeter = meter;
		}
		return meter;
	}

	private String busiestTag() {
		return IntStream.range(0, this.tagKeys.length)
			.boxed()
			.max(Comparator.comparingLong(
					(i) -> this.series.keySet().stream().map((key) -> key.values()[i]).distinct().count()))
			.map((i) -> this.tagKeys[i])
			.orElse("");
	}

	/** A new meter of this metric's type for one tag set, and how a value is recorded into it. */
	private DoubleConsumer meter(SeriesKey key) {
		List<Tag> tags = new ArrayList<>(this.tagKeys.length);
		for (int i = 0; i < this.tagKeys.length; i++) {
			tags.add(Tag.of(this.tagKeys[i], key.values()[i]));
		}
		Type type = this.definition.type();
		// A counter counts events (each recorded as 1), whatever unit is set.
		Unit unit = (type != Type.COUNTER) ? this.definition.unit() : Unit.NONE;
		String description = this.definition.description();
		switch (type) {
			case COUNTER, SUM -> {
				Counter counter = Counter.builder(this.name)
					.description(description)
					.baseUnit(unit.baseUnit())
					.tags(tags)
					.register(this.registry);
				return (value) -> counter.increment(unit.toBase(value));
			}
			case LAST_VALUE -> {
				AtomicLong bits = new AtomicLong(Double.doubleToLongBits(Double.NaN));
				Gauge.builder(this.name, bits, (holder) -> Double.longBitsToDouble(holder.get()))
					.description(description)
					.baseUnit(unit.baseUnit())
					.tags(tags)
					.strongReference(true)
					.register(this.registry);
				return (value) -> bits.set(Double.doubleToLongBits(unit.toBase(value)));
			}
			default -> {
				boolean histogram = type == Type.DISTRIBUTION;
				if (unit.isTime()) {
					Timer timer = Timer.builder(this.name)
						.description(description)
						.tags(tags)
						.publishPercentileHistogram(histogram)
						.register(this.registry);
					return (value) -> timer.record(unit.toNanos(value), TimeUnit.NANOSECONDS);
				}
				return DistributionSummary.builder(this.name)
					.description(description)
					.baseUnit(unit.baseUnit())
					.tags(tags)
					.publishPercentileHistogram(histogram)
					.register(this.registry)::record;
			}
		}
	}

	MetricStatistics statistics(EventName event) {
		return new MetricStatistics(this.name, event.toString(), String.valueOf(this.definition.type()),
				this.series.size(), this.maxSeries, this.overflow.sum(), this.skipped.sum(), value());
	}

	/**
	 * The metric over all its series now, in its meters' base unit: the count of a counter, the
	 * total of a sum, the highest last value, the mean of a summary; {@code null} before any record.
	 */
	private @Nullable Double value() {
		double count = 0;
		double total = 0;
		Double last = null;
		for (Meter meter : this.registry.find(this.name).meters()) {
			for (Measurement measurement : meter.measure()) {
				double value = measurement.getValue();
				switch (measurement.getStatistic()) {
					case COUNT -> count += value;
					case TOTAL, TOTAL_TIME -> total += value;
					case VALUE -> last = Double.isNaN(value) ? last : (last == null) ? value : Math.max(last, value);
					default -> {
					}
				}
			}
		}
		return switch (this.definition.type()) {
			case COUNTER, SUM -> (count > 0) ? count : null;
			case LAST_VALUE -> last;
			case SUMMARY, DISTRIBUTION -> (count > 0) ? total / count : null;
		};
	}

	/** The tag values of one series; not a {@code List}, whose equals would allocate an iterator per record. */
	private record SeriesKey(String[] values) {

		@Override
		public boolean equals(Object other) {
			return other instanceof SeriesKey key && Arrays.equals(this.values, key.values);
		}

		@Override
		public int hashCode() {
			return Arrays.hashCode(this.values);
		}

	}

}
