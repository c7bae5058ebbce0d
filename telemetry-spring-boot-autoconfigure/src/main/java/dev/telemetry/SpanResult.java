package dev.telemetry;

import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * What the body of {@link TelemetryEventBus#spanWithStop} returns: the result the span returns to
 * its caller, plus extra measurements and metadata for the {@code stop} event, the metadata merged
 * over the start metadata ({@code :telemetry.span/3}'s {@code {Result, ExtraMeasurements, StopMetadata}}).
 *
 * @param <T> the type of the result
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
public record SpanResult<T extends @Nullable Object>(T result, Map<String, ? extends Number> measurements,
		Map<String, ?> stopMetadata) {

	/** A result for the stop event, whose maps may be empty but not {@code null}. */
	public SpanResult {
		Assert.notNull(measurements, "measurements must not be null; use Map.of()");
		Assert.notNull(stopMetadata, "stopMetadata must not be null; use Map.of()");
	}

	/** A result with stop metadata and no extra measurements. */
	public static <T extends @Nullable Object> SpanResult<T> of(T result, Map<String, ?> stopMetadata) {
		return new SpanResult<>(result, Map.of(), stopMetadata);
	}

	/** A result with extra stop measurements and stop metadata, as the canonical constructor. */
	public static <T extends @Nullable Object> SpanResult<T> of(T result, Map<String, ? extends Number> measurements,
			Map<String, ?> stopMetadata) {
		return new SpanResult<>(result, measurements, stopMetadata);
	}

}
