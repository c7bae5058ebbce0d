package dev.telemetry.test;

import java.util.Map;

import dev.telemetry.EventName;
import dev.telemetry.TelemetrySpanContext;
import org.jspecify.annotations.Nullable;

/**
 * One event as a {@link TelemetryRecorder} received it.
 *
 * @param name the event name
 * @param measurements the measurements, copied when the event was emitted
 * @param metadata the metadata, copied when the event was emitted
 * @param thread the name of the thread that emitted the event (handlers run in the emitting thread)
 * @param traceId the trace id of the event's span ({@link TelemetrySpanContext} under
 * {@value TelemetrySpanContext#METADATA_KEY}); for an event that is not part of a traced span,
 * the trace current in the emitting thread when the recorder watches the tracer (in a Spring test
 * context), else {@code null}
 * @author telemetry-spring-boot
 * @since 0.2.0
 */
public record RecordedEvent(EventName name, Map<String, Number> measurements, Map<String, Object> metadata,
		String thread, @Nullable String traceId) {

	@Override
	public String toString() {
		return this.name + " (thread '" + this.thread + "', trace " + this.traceId + ")";
	}

}
