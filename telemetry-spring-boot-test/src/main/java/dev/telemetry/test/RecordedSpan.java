package dev.telemetry.test;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * One finished trace span as a {@link TelemetryRecorder} received it.
 *
 * @param name the span name, e.g. {@code shop.checkout} or {@code http get /orders/{id}}
 * @param traceId the trace id (32 hex digits)
 * @param spanId the span id (16 hex digits)
 * @param parentSpanId the id of the parent span, local or remote; {@code null} for a root span
 * @param kind the span kind: {@code INTERNAL}, {@code SERVER}, {@code CLIENT}, {@code PRODUCER} or
 * {@code CONSUMER}
 * @param attributes the span's attributes as strings, and {@value #THREAD_NAME}: the thread that
 * started the span, unless the span sets that attribute itself
 * @author telemetry-spring-boot
 * @since 0.2.0
 */
public record RecordedSpan(String name, String traceId, String spanId, @Nullable String parentSpanId, String kind,
		Map<String, String> attributes) {

	/**
	 * The attribute that names the thread on which the span started (OpenTelemetry's semantic
	 * convention).
	 */
	public static final String THREAD_NAME = "thread.name";

	/**
	 * The thread on which the span started.
	 * @return the thread name, or {@code "?"} if it is not known
	 */
	public String thread() {
		return this.attributes.getOrDefault(THREAD_NAME, "?");
	}

	@Override
	public String toString() {
		return "'" + this.name + "' (" + this.kind + ", thread '" + thread() + "', span " + this.spanId + ")";
	}

}
