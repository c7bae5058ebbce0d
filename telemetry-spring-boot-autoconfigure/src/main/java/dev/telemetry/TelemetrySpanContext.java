package dev.telemetry;

import java.util.concurrent.ThreadLocalRandom;

import org.jspecify.annotations.Nullable;

/**
 * The value of the {@value #METADATA_KEY} metadata key of every span event: the same instance on
 * {@code start} and on {@code stop} or {@code exception}, unique per span, so a handler can pair
 * them. When the span was also recorded as a trace span, it carries its trace id and span id.
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
public final class TelemetrySpanContext {

	/** The metadata key under which span events carry their context. */
	public static final String METADATA_KEY = "telemetry_span_context";

	private final @Nullable String traceId;

	private final @Nullable String spanId;

	/** Drawn on first use: contexts are told apart by identity, and most spans never need a number. */
	private long id;

	private TelemetrySpanContext(@Nullable String traceId, @Nullable String spanId) {
		this.traceId = traceId;
		this.spanId = spanId;
	}

	/** A new, unique context for a span that has no trace span. */
	public static TelemetrySpanContext create() {
		return new TelemetrySpanContext(null, null);
	}

	/** A new, unique context for a span recorded as a trace span (ids of 32 and 16 hex digits). */
	public static TelemetrySpanContext of(@Nullable String traceId, @Nullable String spanId) {
		return new TelemetrySpanContext(traceId, spanId);
	}

	/**
	 * A positive number that tells this span apart in logs, drawn at random (63 bits, as a trace
	 * span id is) when first asked for: no JVM-wide counter is kept.
	 */
	public synchronized long id() {
		if (this.id == 0) {
			this.id = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
		}
		return this.id;
	}

	/** The trace id of the trace span, or {@code null} when tracing recorded none. */
	public @Nullable String traceId() {
		return this.traceId;
	}

	/** The span id of the trace span, or {@code null} when tracing recorded none. */
	public @Nullable String spanId() {
		return this.spanId;
	}

	@Override
	public String toString() {
		return (this.traceId != null) ? "span#" + id() + "[" + this.traceId + "/" + this.spanId + "]" : "span#" + id();
	}

}
