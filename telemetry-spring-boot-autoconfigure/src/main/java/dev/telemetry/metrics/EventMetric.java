package dev.telemetry.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import dev.telemetry.Redaction;
import dev.telemetry.bus.TextLimit;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * One configured metric: its series, one Micrometer meter per tag set, created once and cached;
 * and the cardinality guard. Past {@code maxSeries} tag sets, new tag sets are recorded under one
 * series whose tag values are all {@value #OTHER}, the overflow is counted, and one WARN names
 * the metric and the tag with the most distinct values.
 * <p>
 * Documented behaviour for incomplete events: a missing tag is recorded as {@value #NONE}; an
 * event without the measurement (or with a non-numeric one) records nothing and is counted as
 * skipped.
 *
 * @author telemetry-spring-boot
 */
final class EventMetric {

	static final String OTHER = "OTHER";

	static final String NONE = "none";

	private static final Log logger = LogFactory.getLog(EventMetric.class);

	final String name;

	final MetricDefinition definition;

	final int maxSeries;

	private final MeterRegistry registry;

	private final Redaction redaction;

	private final String[] tagKeys;

	private final Map<SeriesKey, MeterRecorder> series = new ConcurrentHashMap<>();

	private volatile @Nullable MeterRecorder other;

	private final LongAdder overflow = new LongAdder();

	private final LongAdder skipped = new LongAdder();

	/** Guarded by this. */
	private boolean warned;

	EventMetric(String name, MetricDefinition definition, int maxSeries, MeterRegistry registry, Redaction redaction) {
		this.name = name;
		this.definition = definition;
		this.maxSeries = maxSeries;
		this.registry = registry;
		this.redaction = redaction;
		this.tagKeys = definition.tags().toArray(new String[0]);
	}

	void record(Map<String, Number> measurements, Map<String, Object> metadata) {
		double value = 1;
		if (this.definition.type() != MetricType.COUNTER) {
			Number measured = measurements.get(this.definition.measurement());
			if (measured == null) {
				this.skipped.increment();
				return;
			}
			value = measured.doubleValue();
		}
		recorder(metadata).record(value);
	}

	private MeterRecorder recorder(Map<String, Object> metadata) {
		String[] values = new String[this.tagKeys.length];
		for (int i = 0; i < values.length; i++) {
			values[i] = tagValue(this.tagKeys[i], metadata.get(this.tagKeys[i]));
		}
		SeriesKey key = new SeriesKey(values);
		MeterRecorder recorder = this.series.get(key);
		return (recorder != null) ? recorder : newSeries(key);
	}

	private String tagValue(String key, @Nullable Object value) {
		if (value == null) {
			return NONE;
		}
		if (this.redaction.isSensitive(key)) {
			return Redaction.REDACTED;
		}
		String string = value.toString();
		return TextLimit.METER_TAG.cut(string);
	}

	private synchronized MeterRecorder newSeries(SeriesKey key) {
		MeterRecorder recorder = this.series.get(key);
		if (recorder != null) {
			return recorder;
		}
		if (this.series.size() >= this.maxSeries) {
			this.overflow.increment();
			if (!this.warned) {
				this.warned = true;
				warn();
			}
			MeterRecorder other = this.other;
			if (other == null) {
				other = MeterRecorder.create(this.name, this.definition,
						tags(Collections.nCopies(this.tagKeys.length, OTHER)), this.registry);
				this.other = other;
			}
			return other;
		}
		recorder = MeterRecorder.create(this.name, this.definition, tags(Arrays.asList(key.values())), this.registry);
		this.series.put(key, recorder);
		return recorder;
	}

	private List<Tag> tags(List<String> values) {
		List<Tag> tags = new ArrayList<>(values.size());
		for (int i = 0; i < values.size(); i++) {
			tags.add(Tag.of(this.tagKeys[i], values.get(i)));
		}
		return tags;
	}

	private void warn() {
		logger.warn("Telemetry metric '" + this.name + "' reached its limit of " + this.maxSeries
				+ " tag sets; further tag sets are recorded with the value '" + OTHER + "'. The tag '" + busiestTag()
				+ "' has the most distinct values: a tag should have few values (not ids); remove it from "
				+ MetricDefinition.property(this.name, "tags") + " or raise "
				+ MetricDefinition.property(this.name, "max-series"));
	}

	private String busiestTag() {
		String busiest = this.tagKeys[0];
		int most = -1;
		for (int i = 0; i < this.tagKeys.length; i++) {
			Set<String> distinct = new HashSet<>();
			for (SeriesKey key : this.series.keySet()) {
				distinct.add(key.values()[i]);
			}
			if (distinct.size() > most) {
				most = distinct.size();
				busiest = this.tagKeys[i];
			}
		}
		return busiest;
	}

	/**
	 * The metric over all its series now, in its meters' base unit: the count of a counter, the
	 * total of a sum, the highest last value, the mean of a summary or distribution; {@code null}
	 * before anything was recorded.
	 */
	@Nullable Double value() {
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

	int seriesInUse() {
		return this.series.size() + ((this.other != null) ? 1 : 0);
	}

	long overflow() {
		return this.overflow.sum();
	}

	long skipped() {
		return this.skipped.sum();
	}

	/**
	 * The tag values of one series. Not a {@code List}: its hashCode and equals would allocate an
	 * iterator on every recording.
	 */
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
