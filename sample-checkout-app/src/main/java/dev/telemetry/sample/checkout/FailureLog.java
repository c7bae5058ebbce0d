package dev.telemetry.sample.checkout;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.telemetry.EventName;
import dev.telemetry.Redaction;
import dev.telemetry.TelemetryListener;
import dev.telemetry.TelemetrySpanContext;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * Writes one structured (JSON) log line per failure of the shop ({@code shop.*.exception} and
 * {@code shop.*.*.exception}): event, kind, reason, trace and span id, and the metadata with
 * sensitive keys redacted.
 *
 * @author telemetry-spring-boot
 */
@Component
public class FailureLog {

	private static final Log logger = LogFactory.getLog("shop.failures");

	private final JsonMapper json;

	private final Redaction redaction;

	FailureLog(JsonMapper json, Redaction redaction) {
		this.json = json;
		this.redaction = redaction;
	}

	@TelemetryListener(events = { "shop.*.exception", "shop.*.*.exception" }, id = "shop-failure-log")
	void onFailure(EventName event, Map<String, Number> measurements, Map<String, Object> metadata) {
		Map<String, Object> line = new LinkedHashMap<>();
		line.put("event", event.toString());
		if (metadata.get(TelemetrySpanContext.METADATA_KEY) instanceof TelemetrySpanContext span) {
			line.put("trace_id", span.traceId());
			line.put("span_id", span.spanId());
		}
		line.put("kind", metadata.get("kind"));
		line.put("reason", metadata.get("reason"));
		line.put("duration_ms", measurements.getOrDefault("duration", 0).longValue() / 1_000_000);
		Map<String, Object> context = new LinkedHashMap<>();
		metadata.forEach((key, value) -> {
			if (!key.equals(TelemetrySpanContext.METADATA_KEY) && !key.equals("kind") && !key.equals("reason")
					&& !key.equals("stacktrace")) {
				context.put(key, this.redaction.apply(key, String.valueOf(value)));
			}
		});
		line.put("metadata", context);
		logger.warn(this.json.writeValueAsString(line));
	}

}
