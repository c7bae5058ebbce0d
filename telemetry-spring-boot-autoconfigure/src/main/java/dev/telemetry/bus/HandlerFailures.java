package dev.telemetry.bus;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.telemetry.EventName;
import dev.telemetry.TelemetryEventBus;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Applies the {@link HandlerFailurePolicy} to a handler that threw: logs it (once per detach, or
 * at a bounded rate when kept) and describes the {@code telemetry.handler.failure} event.
 *
 * @author telemetry-spring-boot
 */
final class HandlerFailures {

	static final EventName FAILURE_EVENT = EventName.parse(TelemetryEventBus.HANDLER_FAILURE_EVENT);

	private static final Log logger = LogFactory.getLog(DefaultTelemetryEventBus.class);

	private static final int MAX_STACKTRACE_CHARS = 8192;

	private final HandlerFailurePolicy policy;

	private final long warnIntervalNanos;

	HandlerFailures(HandlerFailurePolicy policy, Duration warnInterval) {
		this.policy = policy;
		this.warnIntervalNanos = warnInterval.toNanos();
	}

	HandlerFailurePolicy policy() {
		return this.policy;
	}

	void logDetached(HandlerRegistration registration, EventName event, Throwable failure) {
		logger.error("Telemetry handler '" + registration.id + "' failed on event '" + event
				+ "' and was detached from all its events " + registration.events
				+ " (telemetry.handler-failure=detach)", failure);
	}

	void logKept(HandlerRegistration registration, EventName event, Throwable failure) {
		if (!registration.tryAcquireWarning(System.nanoTime(), this.warnIntervalNanos)) {
			return;
		}
		long suppressed = registration.suppressedWarnings.sumThenReset();
		logger.warn("Telemetry handler '" + registration.id + "' failed on event '" + event + "' ("
				+ registration.failures.sum() + " failures so far, " + suppressed
				+ " not logged since the last warning; it stays attached, telemetry.handler-failure=keep): "
				+ failure);
	}

	static Map<String, Long> measurements() {
		return Map.of("monotonic_time", System.nanoTime(), "system_time", SpanEvents.systemTimeNanos());
	}

	static Map<String, Object> metadata(HandlerRegistration registration, EventName event, Throwable failure) {
		Map<String, Object> metadata = new LinkedHashMap<>();
		metadata.put("event_name", event);
		metadata.put("handler_id", registration.id);
		metadata.put("handler_config", registration.config);
		putFailure(metadata, failure);
		return metadata;
	}

	/**
	 * Add {@code kind}, {@code reason} and {@code stacktrace}, as on exception events.
	 */
	static void putFailure(Map<String, Object> metadata, Throwable failure) {
		metadata.put("kind", failure.getClass().getName());
		metadata.put("reason", (failure.getMessage() != null) ? failure.getMessage() : "");
		metadata.put("stacktrace", stackTrace(failure));
	}

	private static String stackTrace(Throwable failure) {
		StringWriter writer = new StringWriter();
		failure.printStackTrace(new PrintWriter(writer));
		String trace = writer.toString();
		return (trace.length() <= MAX_STACKTRACE_CHARS) ? trace : trace.substring(0, MAX_STACKTRACE_CHARS) + "...";
	}

}
