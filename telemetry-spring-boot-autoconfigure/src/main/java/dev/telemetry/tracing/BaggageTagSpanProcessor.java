package dev.telemetry.tracing;

import java.util.List;

import dev.telemetry.Redaction;
import dev.telemetry.bus.TextLimit;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;

/**
 * Tags every span that starts with baggage in its context with the allow-listed baggage keys
 * ({@code management.tracing.baggage.tag-fields}), redacted and cut like any attribute: with
 * OpenTelemetry, Spring Boot puts incoming baggage in the context but on no span.
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
public final class BaggageTagSpanProcessor implements SpanProcessor {

	private final List<String> keys;

	private final Redaction redaction;

	/** Create a processor that tags spans with the given baggage keys. */
	public BaggageTagSpanProcessor(List<String> keys, Redaction redaction) {
		this.keys = List.copyOf(keys);
		this.redaction = redaction;
	}

	@Override
	public void onStart(Context parentContext, ReadWriteSpan span) {
		Baggage baggage = Baggage.fromContextOrNull(parentContext);
		if (baggage == null || baggage.isEmpty()) {
			return;
		}
		for (String key : this.keys) {
			String value = baggage.getEntryValue(key);
			if (value != null) {
				span.setAttribute(key, TextLimit.SPAN_ATTRIBUTE.cut(String.valueOf(this.redaction.apply(key, value))));
			}
		}
	}

	@Override
	public boolean isStartRequired() {
		return true;
	}

	@Override
	public void onEnd(ReadableSpan span) {
	}

	@Override
	public boolean isEndRequired() {
		return false;
	}

}
