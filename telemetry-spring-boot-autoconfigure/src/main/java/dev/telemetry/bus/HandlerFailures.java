package dev.telemetry.bus;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.telemetry.EventName;
import dev.telemetry.TelemetryEventBus;
import dev.telemetry.bus.DispatchTable.Registration;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Applies the {@link HandlerFailurePolicy} to a handler that threw, then emits the
 * {@code telemetry.handler.failure} event.
 *
 * @author telemetry-spring-boot
 */
final class HandlerFailures {

	private static final EventName FAILURE_EVENT = EventName.parse(TelemetryEventBus.HANDLER_FAILURE_EVENT);

	private static final Log logger = LogFactory.getLog(DefaultTelemetryEventBus.class);

	private final DefaultTelemetryEventBus bus;

	private final HandlerFailurePolicy policy;

	private final Duration logInterval;

	HandlerFailures(DefaultTelemetryEventBus bus, HandlerFailurePolicy policy, Duration logInterval) {
		this.bus = bus;
		this.policy = policy;
		this.logInterval = logInterval;
	}

	LogRateLimiter newLimiter() {
		return new LogRateLimiter(this.logInterval);
	}

	void handle(Registration registration, EventName event, Throwable failure) {
		if (this.policy == HandlerFailurePolicy.DETACH) {
			// Several threads may see it fail at once: the one that detaches it reports it.
			if (!this.bus.detach(registration, true)) {
				return;
			}
			logger.error("Telemetry handler '" + registration.id + "' failed on event '" + event
					+ "' and was detached from all its events " + registration.events
					+ " (telemetry.handler-failure=detach)", failure);
		}
		else {
			long heldBack = registration.warnings.tryAcquire();
			if (heldBack >= 0) {
				logger.warn("Telemetry handler '" + registration.id + "' failed on event '" + event + "' (" + heldBack
						+ " failures not logged since the last warning; it stays attached,"
						+ " telemetry.handler-failure=keep): " + failure);
			}
		}
		// Not for a failure of a failure event's handler: under KEEP that would loop forever.
		if (!event.equals(FAILURE_EVENT)) {
			long now = System.nanoTime();
			Map<String, Object> metadata = new LinkedHashMap<>();
			metadata.put("event_name", event);
			metadata.put("handler_id", registration.id);
			metadata.put("handler_config", registration.config);
			putFailure(metadata, failure);
			this.bus.execute(FAILURE_EVENT,
					Map.of("monotonic_time", now, "system_time", this.bus.spans.systemTimeNanos(now)), metadata);
		}
	}

	/** Add {@code kind}, {@code reason} and {@code stacktrace}, as on exception events. */
	static void putFailure(Map<String, Object> metadata, Throwable failure) {
		metadata.put("kind", failure.getClass().getName());
		metadata.put("reason", (failure.getMessage() != null) ? failure.getMessage() : "");
		StringWriter trace = new StringWriter();
		failure.printStackTrace(new PrintWriter(trace));
		metadata.put("stacktrace", TextLimit.STACK_TRACE.cut(trace.getBuffer()));
	}

}
