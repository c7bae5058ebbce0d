package dev.telemetry.actuate;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.telemetry.aop.ExpressionFailures.Summary;
import dev.telemetry.aop.TelemetryEventMethods.UnadvisableMethod;
import dev.telemetry.metrics.MetricStatisticsSource.MetricStatistics;
import dev.telemetry.tracing.SpanExportStatistics.Snapshot;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;

/**
 * The body of {@code GET /actuator/telemetry}: names, ids and counts, never a measurement or
 * metadata value. The README's endpoint section describes each field; a {@code null} is written
 * out, but for {@code exporter}, left out when no OpenTelemetry span export is watched.
 *
 * @param enabled whether telemetry is on ({@code telemetry.enabled})
 * @param handlers every handler, attached or recently detached
 * @param events every event name emitted since start
 * @param annotated every {@code @TelemetryEvent} method
 * @param metrics every metric of {@code telemetry.metrics}
 * @param diagnostics why something may not show up
 * @param exporter what became of finished spans on their way to the collector, or {@code null}
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
public record TelemetryDescriptor(boolean enabled, List<HandlerDescriptor> handlers, List<EventDescriptor> events,
		List<AnnotatedMethodDescriptor> annotated, List<MetricStatistics> metrics, DiagnosticsDescriptor diagnostics,
		@Nullable Snapshot exporter) implements OperationResponseBody {

	/** A handler; {@code state} is {@code ATTACHED} or {@code DETACHED}. */
	@JsonInclude(JsonInclude.Include.ALWAYS)
	public record HandlerDescriptor(String id, List<String> events, String source, String state, long invocations,
			long failures, @Nullable FailureDescriptor lastFailure, Instant attachedAt, @Nullable Instant detachedAt)
			implements OperationResponseBody {
	}

	/** A handler's failure: the exception class and its message, cut short. */
	public record FailureDescriptor(Instant time, String kind, String reason) {
	}

	/** An event name emitted since start, what emits it, and the ids of the handlers that receive it now. */
	public record EventDescriptor(String name, String source, long count, Instant lastSeen, List<String> handlers) {
	}

	/** A {@code @TelemetryEvent} method; {@code span} says whether it records a trace span. */
	public record AnnotatedMethodDescriptor(String event, String method, boolean span) {
	}

	/** Why events or spans may not show up. */
	public record DiagnosticsDescriptor(List<String> unhandledEvents, List<SilentHandlerDescriptor> silentHandlers,
			List<UnadvisableMethod> unadvisableMethods, EventCatalogDescriptor eventCatalog,
			Summary expressionFailures) {
	}

	/** A handler's name or pattern that no emitted event matches, with the emitted names a typo away. */
	public record SilentHandlerDescriptor(String id, String event, List<String> suggestions) {
	}

	/** How full the catalog of emitted names is ({@code telemetry.endpoint.max-events}). */
	public record EventCatalogDescriptor(int size, int maxEvents, long overflowEmissions) {
	}

}
