package dev.telemetry.test;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Where a {@link TelemetryRecorder} reads trace spans from; free of OpenTelemetry types, so that
 * the recorder works without OpenTelemetry on the classpath.
 *
 * @author telemetry-spring-boot
 */
interface SpanSource {

	/**
	 * The finished spans, in the order they ended.
	 */
	List<RecordedSpan> finished();

	/**
	 * The spans started and not ended yet, as they are now.
	 */
	List<RecordedSpan> open();

	/**
	 * Whether the parent of a span is remote: it came with a message or request from elsewhere.
	 */
	boolean hasRemoteParent(RecordedSpan span);

	/**
	 * The trace id of the span current in the calling thread, if any.
	 */
	@Nullable String currentTraceId();

	/**
	 * Forget the finished spans.
	 */
	void clear();

}
