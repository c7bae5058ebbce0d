package dev.telemetry.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.telemetry.EventName;
import dev.telemetry.InvalidTelemetryDeclarationException;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * A metric over an event, as declared under {@code telemetry.metrics}, keyed by meter name.
 * Percentiles, histogram buckets and service level objectives are Spring Boot's
 * {@code management.metrics.distribution.*}, which apply to these meters by name like to any
 * other.
 *
 * @param event event whose measurements the metric records, such as
 * {@code shop.checkout.stop}; a pattern works too
 * @param measurement measurement to record, such as {@code duration}; counters count events and
 * need none
 * @param type metric type
 * @param unit unit of the measurement; time units make timers, published in seconds
 * @param tags metadata keys whose values become tags; keep them low-cardinality: no ids
 * @param description description of the meter
 * @param maxSeries most tag sets before new tag values collapse to {@code OTHER}, or
 * {@code null} for {@code telemetry.metric-defaults.max-series}
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
public record MetricDefinition(@Nullable String event, @Nullable String measurement, @Nullable Type type,
		@DefaultValue("none") Unit unit, @DefaultValue List<String> tags, @Nullable String description,
		@Nullable Integer maxSeries) {

	/** What keeps this definition from working, each problem naming its property and the fix. */
	List<InvalidTelemetryDeclarationException> problems(String name) {
		List<InvalidTelemetryDeclarationException> problems = new ArrayList<>();
		String event = (this.event != null) ? this.event.trim() : "";
		try {
			EventName.parse(event);
		}
		catch (IllegalArgumentException ex) {
			problems.add(invalid(name, "event", event,
					event.isEmpty() ? "no event is set" : (ex.getCause() != null) ? ex.getCause().getMessage() : ex.getMessage(),
					"Set " + property(name, "event") + " to the event to measure, like 'shop.checkout.stop': dotted"
							+ " segments of letters, digits, '_' and '-', a '*' segment or a last '**'."));
		}
		if (this.type == null) {
			problems.add(invalid(name, "type", "", "no type is set",
					"Set " + property(name, "type") + " to one of " + Arrays.toString(Type.values()) + "."));
		}
		else if (this.type != Type.COUNTER && (this.measurement == null || this.measurement.isBlank())) {
			problems.add(invalid(name, "measurement", "", "a " + this.type + " needs a measurement",
					"Set " + property(name, "measurement") + " to the measurement to record, like 'duration'."));
		}
		if (this.maxSeries != null && this.maxSeries < 1) {
			problems.add(invalid(name, "max-series", this.maxSeries.toString(), "it must be at least 1",
					"Set " + property(name, "max-series") + " to a positive number of tag sets, like 100, or leave it"
							+ " out for telemetry.metric-defaults.max-series."));
		}
		return problems;
	}

	/** The property of a metric's attribute; a name with dots in brackets, or Boot's binder splits it. */
	static String property(String name, String attribute) {
		return "telemetry.metrics" + (name.contains(".") ? "[" + name + "]" : "." + name) + "." + attribute;
	}

	private static InvalidTelemetryDeclarationException invalid(String name, String attribute, String value,
			String reason, String action) {
		return new InvalidTelemetryDeclarationException("Metric '" + name + "' in telemetry.metrics",
				Map.of("Property", property(name, attribute)), attribute, value, reason, action);
	}

	/** The kinds of metric, as in Elixir's {@code telemetry_metrics}. */
	public enum Type {

		/** Counts events; needs no measurement. */
		COUNTER,

		/** Adds up a measurement. */
		SUM,

		/** Keeps the last value of a measurement (a gauge). */
		LAST_VALUE,

		/** Count, total and max of a measurement (a timer for time units). */
		SUMMARY,

		/** A summary with histogram buckets published, so that a backend can compute any quantile. */
		DISTRIBUTION;

		/** The name as configuration writes it, such as {@code last-value}. */
		@Override
		public String toString() {
			return name().toLowerCase(Locale.ROOT).replace('_', '-');
		}

	}

	/**
	 * The unit a measurement is in. Time units make Micrometer timers (published in seconds); the
	 * others are base units of summaries, counters and gauges. {@code duration} and
	 * {@code monotonic_time} are in nanoseconds; a ratio goes from 0 to 1.
	 */
	public enum Unit {

		NONE(null), BYTES(null), PERCENT(null), RATIO(null), NANOSECONDS(TimeUnit.NANOSECONDS),
		MICROSECONDS(TimeUnit.MICROSECONDS), MILLISECONDS(TimeUnit.MILLISECONDS), SECONDS(TimeUnit.SECONDS);

		private final @Nullable TimeUnit timeUnit;

		Unit(@Nullable TimeUnit timeUnit) {
			this.timeUnit = timeUnit;
		}

		boolean isTime() {
			return this.timeUnit != null;
		}

		/** The unit meters publish: seconds for time, none for {@link #NONE}, else this one. */
		@Nullable String baseUnit() {
			return isTime() ? "seconds" : (this != NONE) ? toString() : null;
		}

		/** A value in this unit, in the published base unit (seconds for time). */
		double toBase(double value) {
			return (this.timeUnit != null) ? value * this.timeUnit.toNanos(1) / 1e9 : value;
		}

		/** A value in this unit, in nanoseconds (time units only). */
		long toNanos(double value) {
			return (this.timeUnit != null) ? (long) (value * this.timeUnit.toNanos(1)) : (long) value;
		}

		/** The name as configuration writes it, such as {@code milliseconds}. */
		@Override
		public String toString() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

}
