package dev.telemetry.sample.checkout;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.telemetry.EventName;
import dev.telemetry.TelemetryListener;
import dev.telemetry.TelemetrySpanContext;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Writes one structured (JSON) log line for each HTTP request slower than
 * {@code shop.slow-request-threshold}: trace id, method, uri, status and duration. The events come
 * from Spring's own {@code http.server.requests} Observation; nothing in the app emits them.
 *
 * @author telemetry-spring-boot
 */
@Component
public class SlowRequestLog {

	private static final Log logger = LogFactory.getLog("shop.slow-requests");

	private final JsonMapper json;

	private final long thresholdNanos;

	SlowRequestLog(JsonMapper json, @Value("${shop.slow-request-threshold:500ms}") Duration threshold) {
		this.json = json;
		this.thresholdNanos = threshold.toNanos();
	}

	@TelemetryListener(events = "http.server.requests.stop", id = "shop-slow-request-log")
	void onRequest(EventName event, Map<String, Number> measurements, Map<String, Object> metadata) {
		long duration = measurements.get("duration").longValue();
		if (duration < this.thresholdNanos) {
			return;
		}
		Map<String, Object> line = new LinkedHashMap<>();
		line.put("event", "slow_request");
		if (metadata.get(TelemetrySpanContext.METADATA_KEY) instanceof TelemetrySpanContext span) {
			line.put("trace_id", span.traceId());
		}
		line.put("method", metadata.get("method"));
		line.put("uri", metadata.get("uri"));
		line.put("status", metadata.get("status"));
		line.put("duration_ms", duration / 1_000_000);
		logger.warn(this.json.writeValueAsString(line));
	}

}
