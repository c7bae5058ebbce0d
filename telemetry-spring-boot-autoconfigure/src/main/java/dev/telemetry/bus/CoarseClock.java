package dev.telemetry.bus;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * Wall-clock time that is cheap to read on the hot path: milliseconds accurate to about a second,
 * and system time in nanoseconds derived from a {@code System.nanoTime()} reading.
 * Reading {@code System.currentTimeMillis()} costs about 20 ns, as much as a whole dispatch; this
 * reads a volatile field that one daemon thread refreshes every second.
 * <p>
 * The thread runs while some bus uses the clock: each bus {@link #retain() retains} it when built
 * and {@link #release() releases} it when closed, and the last release stops the thread, so that an
 * application undeployed from a container leaves no thread behind. Read while no bus holds it, the
 * clock reads the system clock instead.
 *
 * @author telemetry-spring-boot
 */
final class CoarseClock {

	private static volatile long millis = System.currentTimeMillis();

	private static volatile long epochOffsetNanos = epochOffsetNanos();

	private static volatile boolean ticking;

	private static int users;

	private static @Nullable ScheduledExecutorService ticker;

	private CoarseClock() {
	}

	static synchronized void retain() {
		if (users++ == 0) {
			tick();
			ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor((task) -> {
				Thread thread = new Thread(task, "telemetry-coarse-clock");
				thread.setDaemon(true);
				return thread;
			});
			started.scheduleAtFixedRate(CoarseClock::tick, 1, 1, TimeUnit.SECONDS);
			ticker = started;
			ticking = true;
		}
	}

	static synchronized void release() {
		if (users > 0 && --users == 0) {
			ticking = false;
			ScheduledExecutorService stopped = ticker;
			ticker = null;
			if (stopped != null) {
				stopped.shutdownNow();
			}
		}
	}

	static synchronized boolean isTicking() {
		return ticker != null;
	}

	static synchronized int users() {
		return users;
	}

	private static void tick() {
		millis = System.currentTimeMillis();
		epochOffsetNanos = epochOffsetNanos();
	}

	static long millis() {
		return ticking ? millis : System.currentTimeMillis();
	}

	/**
	 * Nanoseconds since the epoch at the moment {@code System.nanoTime()} read
	 * {@code nanoTime}: one clock read gives both a monotonic and a system time. The offset is
	 * taken again every second, so the wall clock's adjustments show within a second.
	 */
	static long systemTimeNanos(long nanoTime) {
		return nanoTime + (ticking ? epochOffsetNanos : epochOffsetNanos());
	}

	private static long epochOffsetNanos() {
		java.time.Instant now = java.time.Instant.now();
		long nanoTime = System.nanoTime();
		return now.getEpochSecond() * 1_000_000_000L + now.getNano() - nanoTime;
	}

}
