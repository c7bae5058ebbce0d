package dev.telemetry.metrics;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * The unit a measurement is in. Time units make Micrometer timers (published in seconds); the
 * others are base units of summaries, counters and gauges.
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
public enum MetricUnit {

	/**
	 * No unit.
	 */
	NONE(null, null),

	/**
	 * Bytes.
	 */
	BYTES(null, "bytes"),

	/**
	 * Percent.
	 */
	PERCENT(null, "percent"),

	/**
	 * A ratio from 0 to 1.
	 */
	RATIO(null, "ratio"),

	/**
	 * Nanoseconds: the unit of {@code duration} and {@code monotonic_time}.
	 */
	NANOSECONDS(TimeUnit.NANOSECONDS, "seconds"),

	/**
	 * Microseconds.
	 */
	MICROSECONDS(TimeUnit.MICROSECONDS, "seconds"),

	/**
	 * Milliseconds.
	 */
	MILLISECONDS(TimeUnit.MILLISECONDS, "seconds"),

	/**
	 * Seconds.
	 */
	SECONDS(TimeUnit.SECONDS, "seconds");

	private final @Nullable TimeUnit timeUnit;

	private final @Nullable String baseUnit;

	MetricUnit(@Nullable TimeUnit timeUnit, @Nullable String baseUnit) {
		this.timeUnit = timeUnit;
		this.baseUnit = baseUnit;
	}

	/**
	 * Whether this is a unit of time.
	 * @return whether measurements in this unit make timers
	 */
	public boolean isTime() {
		return this.timeUnit != null;
	}

	@Nullable TimeUnit timeUnit() {
		return this.timeUnit;
	}

	@Nullable String baseUnit() {
		return this.baseUnit;
	}

	/**
	 * A value in this unit, in the published base unit (seconds for time).
	 */
	double toBase(double value) {
		if (this.timeUnit == null) {
			return value;
		}
		return value * this.timeUnit.toNanos(1) / 1e9;
	}

	/**
	 * A value in this unit, in nanoseconds (time units only).
	 */
	long toNanos(double value) {
		return (long) (value * this.timeUnit.toNanos(1));
	}

	/**
	 * The configuration name, e.g. {@code milliseconds}.
	 * @return the name
	 */
	public String configName() {
		return name().toLowerCase(Locale.ROOT);
	}

	static @Nullable MetricUnit of(String value) {
		for (MetricUnit unit : values()) {
			if (unit.configName().equals(value.trim().toLowerCase(Locale.ROOT))) {
				return unit;
			}
		}
		return null;
	}

}
