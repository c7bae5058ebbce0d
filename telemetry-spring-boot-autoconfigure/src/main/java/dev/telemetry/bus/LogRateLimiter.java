package dev.telemetry.bus;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Lets a warning through at most once per interval and counts the ones it holds back, so that a
 * failure repeated on every call logs one line per interval saying how many it stands for.
 * Internal, not an API.
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
public final class LogRateLimiter {

	private final long intervalNanos;

	private final AtomicLong nextNanos = new AtomicLong(System.nanoTime());

	private final LongAdder heldBack = new LongAdder();

	/** A limiter whose first call is let through, then one per {@code interval}. */
	public LogRateLimiter(Duration interval) {
		this.intervalNanos = interval.toNanos();
	}

	/**
	 * Whether to log now: how many calls were held back since the last one let through, or
	 * {@code -1} if this call is held back (and counted).
	 */
	public long tryAcquire() {
		long now = System.nanoTime();
		long next = this.nextNanos.get();
		if (now - next >= 0 && this.nextNanos.compareAndSet(next, now + this.intervalNanos)) {
			return this.heldBack.sumThenReset();
		}
		this.heldBack.increment();
		return -1;
	}

}
