package dev.telemetry.test;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * How long a check waits for asynchronous work: it asks again every few milliseconds until the
 * problem is gone or the time is up.
 *
 * @author telemetry-spring-boot
 */
record Patience(Duration timeout) {

	static final Patience NONE = new Patience(Duration.ZERO);

	private static final long PAUSE_NANOS = Duration.ofMillis(10).toNanos();

	/**
	 * Ask until the problem is gone.
	 * @param problem what is wrong now, or {@code null} when nothing is
	 * @return {@code null} if the problem went away in time, else the last problem, saying how
	 * long it waited
	 */
	@Nullable String await(Supplier<@Nullable String> problem) {
		long deadline = System.nanoTime() + this.timeout.toNanos();
		while (true) {
			String current = problem.get();
			if (current == null) {
				return null;
			}
			if (System.nanoTime() - deadline >= 0) {
				return current + waited();
			}
			LockSupport.parkNanos(PAUSE_NANOS);
		}
	}

	/**
	 * Ask until the time is up, for a problem that must not appear in all that time.
	 * @param problem what is wrong now, or {@code null} when nothing is
	 * @return the first problem seen, or {@code null} if none appeared
	 */
	@Nullable String watch(Supplier<@Nullable String> problem) {
		long deadline = System.nanoTime() + this.timeout.toNanos();
		while (true) {
			String current = problem.get();
			if (current != null || System.nanoTime() - deadline >= 0) {
				return current;
			}
			LockSupport.parkNanos(PAUSE_NANOS);
		}
	}

	private String waited() {
		if (this.timeout.isZero()) {
			return "";
		}
		long millis = this.timeout.toMillis();
		return "\n(after waiting " + ((millis % 1000 == 0) ? (millis / 1000) + "s" : millis + "ms") + ")";
	}

}
