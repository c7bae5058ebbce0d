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

	NONE(null), BYTES(null), PERCENT(null),

	/**
	 * A ratio from 0 to 1.
	 */
	RATIO(null),

	/**
	 * Nanoseconds: the unit of {@code duration} and {@code monotonic_time}.
	 */
	NANOSECONDS(TimeUnit.NANOSECONDS),

	MICROSECONDS(TimeUnit.MICROSECONDS), MILLISECONDS(TimeUnit.MILLISECONDS), SECONDS(TimeUnit.SECONDS);

	private final @Nullable TimeUnit timeUnit;

	MetricUnit(@Nullable TimeUnit timeUnit) {
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

	/**
	 * The name as configuration writes it, such as {@code milliseconds}; Spring Boot lists these
	 * when a configured unit is not one of them.
	 * @return the name
	 */
	@Override
	public String toString() {
		return name().toLowerCase(Locale.ROOT);
	}

}
