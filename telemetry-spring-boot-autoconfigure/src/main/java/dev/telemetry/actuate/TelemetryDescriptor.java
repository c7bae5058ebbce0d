package dev.telemetry.actuate;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;

/**
 * The body of {@code GET /actuator/telemetry}: names, ids and counts, never a measurement or
 * metadata value.
 *
 * @param enabled whether telemetry is on; {@code false} with {@code telemetry.enabled=false}, when
 * nothing is emitted, attached or advised and every list is empty
 * @param handlers every handler, attached or recently detached
 * @param events every event name emitted since start
 * @param annotated every {@code @TelemetryEvent} method
 * @param metrics every metric of {@code telemetry.metrics}
 * @param diagnostics why something may not show up
 * @param exporter what became of finished spans on their way to the collector, or {@code null}
 * (left out) when no OpenTelemetry span export is watched
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
public record TelemetryDescriptor(boolean enabled, List<HandlerDescriptor> handlers, List<EventDescriptor> events,
		List<AnnotatedMethodDescriptor> annotated, List<MetricDescriptor> metrics, DiagnosticsDescriptor diagnostics,
		@Nullable ExporterDescriptor exporter) implements OperationResponseBody {

	/**
	 * A handler.
	 *
	 * @param id the handler id
	 * @param events the names or patterns it is attached to, as attached
	 * @param source the bean and method, or the line of code, that attached it
	 * @param state {@code ATTACHED} or {@code DETACHED}
	 * @param invocations how many events it was called with
	 * @param failures how many of those calls threw
	 * @param lastFailure the last failure, or {@code null}
	 * @param attachedAt when it was attached
	 * @param detachedAt when it was detached, or {@code null}
	 */
	public record HandlerDescriptor(String id, List<String> events, String source, String state, long invocations,
			long failures, @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable FailureDescriptor lastFailure,
			Instant attachedAt, @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable Instant detachedAt)
			implements OperationResponseBody {
	}

	/**
	 * A failure of a handler.
	 *
	 * @param time when
	 * @param kind the exception class
	 * @param reason the exception message, cut at 200 characters
	 */
	public record FailureDescriptor(Instant time, String kind, String reason) {
	}

	/**
	 * An event name emitted since start.
	 *
	 * @param name the name
	 * @param count how many times
	 * @param lastSeen when last, to about a second
	 * @param handlers the ids of the handlers that receive it now
	 */
	public record EventDescriptor(String name, long count, Instant lastSeen, List<String> handlers) {
	}

	/**
	 * A {@code @TelemetryEvent} method.
	 *
	 * @param event the event prefix
	 * @param method the method
	 * @param span whether it records a trace span
	 */
	public record AnnotatedMethodDescriptor(String event, String method, boolean span) {
	}

	/**
	 * A metric declared under {@code telemetry.metrics}.
	 *
	 * @param name the meter name
	 * @param event the event it records
	 * @param type its type
	 * @param seriesInUse tag sets in use
	 * @param maxSeries the cap on tag sets
	 * @param overflow recordings past the cap, under the tag value {@code OTHER}
	 * @param skipped events that lacked the measurement
	 */
	public record MetricDescriptor(String name, String event, String type, int seriesInUse, int maxSeries,
			long overflow, long skipped) {
	}

	/**
	 * Why events or spans may not show up.
	 *
	 * @param unhandledEvents names emitted that no handler receives
	 * @param silentHandlers handler names that match nothing emitted, with near misses
	 * @param unadvisableMethods {@code @TelemetryEvent} methods a proxy cannot advise
	 * @param eventCatalog how full the catalog of emitted names is
	 * @param expressionFailures {@code @TelemetryEvent} expressions that failed at run time, so that
	 * their key was left out of the event
	 */
	public record DiagnosticsDescriptor(List<String> unhandledEvents, List<SilentHandlerDescriptor> silentHandlers,
			List<UnadvisableMethodDescriptor> unadvisableMethods, EventCatalogDescriptor eventCatalog,
			ExpressionFailuresDescriptor expressionFailures) {
	}

	/**
	 * {@code @TelemetryEvent} expressions that failed at run time (the call went on, without the key).
	 *
	 * @param count how many failed since start-up
	 * @param lastMethod the method of the last failure, or {@code null}
	 * @param lastKey the key whose expression failed last, or {@code null}
	 * @param lastTime when, or {@code null}
	 */
	public record ExpressionFailuresDescriptor(long count,
			@JsonInclude(JsonInclude.Include.ALWAYS) @Nullable String lastMethod,
			@JsonInclude(JsonInclude.Include.ALWAYS) @Nullable String lastKey,
			@JsonInclude(JsonInclude.Include.ALWAYS) @Nullable Instant lastTime) {
	}

	/**
	 * A handler attached to a name or pattern that no emitted event matches.
	 *
	 * @param id the handler id
	 * @param event the name or pattern it is attached to
	 * @param suggestions emitted names a small edit away: the typo case
	 */
	public record SilentHandlerDescriptor(String id, String event, List<String> suggestions) {
	}

	/**
	 * An annotated method that a proxy cannot advise.
	 *
	 * @param method the method
	 * @param event its event prefix
	 * @param reason why, and what to do
	 */
	public record UnadvisableMethodDescriptor(String method, String event, String reason) {
	}

	/**
	 * The catalog of emitted names.
	 *
	 * @param size names kept
	 * @param maxEvents the most names kept ({@code telemetry.endpoint.max-events})
	 * @param overflowEmissions emissions of names that did not fit, counted but not stored
	 */
	public record EventCatalogDescriptor(int size, int maxEvents, long overflowEmissions) {
	}

	/**
	 * The span export.
	 *
	 * @param exporters each exporter spans go to, with its own counts; empty when none is
	 * configured, so that spans are recorded but sent nowhere
	 * @param exported spans exported successfully, by all exporters
	 * @param failed spans that failed to export, by all exporters
	 * @param dropped spans dropped because the export queue was full, or {@code null} when not
	 * counted (the application has its own OpenTelemetry {@code MeterProvider})
	 * @param lastError the last failed export of any exporter, or {@code null}
	 * @param lastSuccess when any exporter last succeeded, or {@code null}
	 */
	public record ExporterDescriptor(List<SpanExporterDescriptor> exporters, long exported, long failed,
			@JsonInclude(JsonInclude.Include.ALWAYS) @Nullable Long dropped,
			@JsonInclude(JsonInclude.Include.ALWAYS) @Nullable ExportErrorDescriptor lastError,
			@JsonInclude(JsonInclude.Include.ALWAYS) @Nullable Instant lastSuccess) {
	}

	/**
	 * One exporter.
	 *
	 * @param name the exporter, by class
	 * @param exported spans it exported
	 * @param failed spans it failed to export
	 * @param lastError its last failure, or {@code null}
	 * @param lastSuccess when it last succeeded, or {@code null}
	 */
	public record SpanExporterDescriptor(String name, long exported, long failed,
			@JsonInclude(JsonInclude.Include.ALWAYS) @Nullable ExportErrorDescriptor lastError,
			@JsonInclude(JsonInclude.Include.ALWAYS) @Nullable Instant lastSuccess) {
	}

	/**
	 * A failed export.
	 *
	 * @param time when it failed
	 * @param exporter the exporter
	 * @param error what went wrong
	 */
	public record ExportErrorDescriptor(Instant time, String exporter, String error) {
	}

}
