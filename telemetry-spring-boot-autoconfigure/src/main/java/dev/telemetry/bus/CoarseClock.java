package dev.telemetry.bus;

import java.time.Duration;
import java.time.Instant;
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

	private static final Ticker ticker = new Ticker("telemetry-coarse-clock", Duration.ofSeconds(1),
			CoarseClock::tick);

	private CoarseClock() {
	}

	static void retain() {
		synchronized (ticker) {
			if (ticker.retain()) {
				tick();
				ticking = true;
			}
		}
	}

	static void release() {
		synchronized (ticker) {
			if (ticker.release()) {
				ticking = false;
			}
		}
	}

	static int users() {
		return ticker.users();
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
		Instant now = Instant.now();
		long nanoTime = System.nanoTime();
		return now.getEpochSecond() * 1_000_000_000L + now.getNano() - nanoTime;
	}

	/**
	 * A daemon thread that runs a task at a fixed rate while it has users.
	 */
	static final class Ticker {

		private final String threadName;

		private final Duration period;

		private final Runnable task;

		private int users;

		private @Nullable ScheduledExecutorService executor;

		Ticker(String threadName, Duration period, Runnable task) {
			this.threadName = threadName;
			this.period = period;
			this.task = task;
		}

		/**
		 * Add a user.
		 * @return whether this started the thread
		 */
		synchronized boolean retain() {
			if (this.users++ > 0) {
				return false;
			}
			ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor((runnable) -> {
				Thread thread = new Thread(runnable, this.threadName);
				thread.setDaemon(true);
				return thread;
			});
			long nanos = this.period.toNanos();
			started.scheduleAtFixedRate(this.task, nanos, nanos, TimeUnit.NANOSECONDS);
			this.executor = started;
			return true;
		}

		/**
		 * Remove a user; more releases than retains are ignored.
		 * @return whether this stopped the thread
		 */
		synchronized boolean release() {
			if (this.users == 0 || --this.users > 0) {
				return false;
			}
			ScheduledExecutorService stopped = this.executor;
			this.executor = null;
			if (stopped != null) {
				stopped.shutdownNow();
			}
			return true;
		}

		synchronized int users() {
			return this.users;
		}

		synchronized boolean isRunning() {
			return this.executor != null;
		}

	}

}
