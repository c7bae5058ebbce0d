package dev.telemetry.aop;

import java.lang.reflect.Method;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.LongAdder;

import dev.telemetry.bus.LogRateLimiter;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.expression.Expression;

/**
 * Counts {@code @TelemetryEvent} expressions that failed at run time and logs them at most once a
 * minute.
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
public final class ExpressionFailures {

	private static final Log logger = LogFactory.getLog(TelemetryEventInterceptor.class);

	private final LongAdder count = new LongAdder();

	private final LogRateLimiter limiter = new LogRateLimiter(Duration.ofMinutes(1));

	private volatile @Nullable Failure last;

	void report(Method method, String key, Expression expression, String problem) {
		String described = TelemetryEventMethod.describe(method);
		this.count.increment();
		this.last = new Failure(described, key, Instant.now());
		long heldBack = this.limiter.tryAcquire();
		if (heldBack >= 0) {
			logger.warn("@TelemetryEvent on " + described + ": expression '" + key + "=" + expression.getExpressionString()
					+ "' " + problem + "; the key is left out of the event (" + heldBack
					+ " other failures not logged since the last warning)");
		}
	}

	/**
	 * How many expressions have failed since start-up.
	 * @return the count
	 */
	public long count() {
		return this.count.sum();
	}

	/**
	 * The last expression that failed, without the values it failed on.
	 * @return the failure, or {@code null} if none failed
	 */
	public @Nullable Failure last() {
		return this.last;
	}

	/**
	 * An expression that failed at run time.
	 *
	 * @param method the annotated method
	 * @param key the metadata or measurement key whose expression failed
	 * @param time when it failed
	 */
	public record Failure(String method, String key, Instant time) {
	}

}
