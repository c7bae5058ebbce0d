package dev.telemetry.aop;

import java.lang.reflect.Method;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.LongAdder;

import com.fasterxml.jackson.annotation.JsonInclude;
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
	 * How many expressions have failed since start-up, and the last one, without the values it
	 * failed on.
	 * @return the summary
	 */
	public Summary summary() {
		Failure last = this.last;
		return (last != null) ? new Summary(this.count.sum(), last.method(), last.key(), last.time())
				: new Summary(this.count.sum(), null, null, null);
	}

	private record Failure(String method, String key, Instant time) {
	}

	/**
	 * {@code @TelemetryEvent} expressions that failed at run time, and the last one.
	 *
	 * @param count how many failed since start-up
	 * @param lastMethod the annotated method of the last one, or {@code null}
	 * @param lastKey the metadata or measurement key of the last one, or {@code null}
	 * @param lastTime when the last one failed, or {@code null}
	 */
	@JsonInclude(JsonInclude.Include.ALWAYS)
	public record Summary(long count, @Nullable String lastMethod, @Nullable String lastKey,
			@Nullable Instant lastTime) {
	}

}
