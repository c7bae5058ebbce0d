package dev.telemetry.bus;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Wall-clock time that is cheap to read on the hot path: milliseconds accurate to about a second,
 * and system time in nanoseconds derived from a {@code System.nanoTime()} reading.
 * Reading {@code System.currentTimeMillis()} costs about 20 ns, as much as a whole dispatch; this
 * reads a volatile field that one daemon thread per JVM refreshes every second.
 *
 * @author telemetry-spring-boot
 */
final class CoarseClock {

	private static volatile long millis = System.currentTimeMillis();

	private static volatile long epochOffsetNanos = epochOffsetNanos();

	static {
		ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "telemetry-coarse-clock");
			thread.setDaemon(true);
			return thread;
		});
		ticker.scheduleAtFixedRate(() -> {
			millis = System.currentTimeMillis();
			epochOffsetNanos = epochOffsetNanos();
		}, 1, 1, TimeUnit.SECONDS);
	}

	private CoarseClock() {
	}

	static long millis() {
		return millis;
	}

	/**
	 * Nanoseconds since the epoch at the moment {@code System.nanoTime()} read
	 * {@code nanoTime}: one clock read gives both a monotonic and a system time. The offset is
	 * taken again every second, so the wall clock's adjustments show within a second.
	 */
	static long systemTimeNanos(long nanoTime) {
		return nanoTime + epochOffsetNanos;
	}

	private static long epochOffsetNanos() {
		java.time.Instant now = java.time.Instant.now();
		long nanoTime = System.nanoTime();
		return now.getEpochSecond() * 1_000_000_000L + now.getNano() - nanoTime;
	}

}
