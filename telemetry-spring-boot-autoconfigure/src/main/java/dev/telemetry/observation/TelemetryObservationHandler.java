package dev.telemetry.observation;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.telemetry.EventName;
import dev.telemetry.Redaction;
import dev.telemetry.TelemetryEventBus;
import dev.telemetry.TelemetrySpan;
import dev.telemetry.TelemetrySpanContext;
import dev.telemetry.bus.BusRecorder;
import dev.telemetry.bus.BusRecorder.Counter;
import dev.telemetry.bus.TextLimit;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.tracing.handler.TracingObservationHandler.TracingContext;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * Emits every Observation on the bus as a telemetry span named after it, with its key values as
 * metadata and the ids of its trace span in {@code telemetry_span_context}. When no handler
 * listens, an Observation costs one route lookup, allocates nothing and is only counted for the
 * endpoint; a handler attached while an Observation runs receives the events of the next one.
 * Register it after Boot's tracing handler (a plain handler bean is), so that the trace span
 * exists at start.
 *
 * @author telemetry-spring-boot
 * @since 0.2.0
 */
public final class TelemetryObservationHandler implements ObservationHandler<Observation.Context> {

	private static final int MAX_CACHED_NAMES = 4096;

	private static final boolean TRACING_PRESENT = ClassUtils.isPresent(
			"io.micrometer.tracing.handler.TracingObservationHandler",
			TelemetryObservationHandler.class.getClassLoader());

	private static final Names EXCLUDED = new Names(null, null, null, Counter.NONE, Counter.NONE, Counter.NONE);

	private final TelemetryEventBus bus;

	private final BusRecorder recorder;

	private final List<String> excluded;

	private final @Nullable Redaction highCardinality;

	private final ConcurrentHashMap<String, Names> names = new ConcurrentHashMap<>();

	/**
	 * Create a handler.
	 * @param bus the bus to emit on
	 * @param recorder what counts the emissions that no handler receives
	 * @param excluded Observation names, or prefixes of them by whole segments, not to emit
	 * @param highCardinality how to redact high-cardinality key values, or {@code null} to leave
	 * them out
	 */
	public TelemetryObservationHandler(TelemetryEventBus bus, BusRecorder recorder, List<String> excluded,
			@Nullable Redaction highCardinality) {
		this.bus = bus;
		this.recorder = recorder;
		this.excluded = excluded.stream().map((prefix) -> prefix.endsWith(".") ? prefix : prefix + ".").toList();
		this.highCardinality = highCardinality;
	}

	@Override
	public boolean supportsContext(Observation.Context context) {
		// Off: Spring AOT keeps this handler when telemetry.enabled=false is set only at run time.
		return this.bus != TelemetryEventBus.NOOP;
	}

	@Override
	public void onStart(Observation.Context context) {
		Names names = names(context.getName());
		if (names.prefix == null) {
			return;
		}
		if (!this.bus.isListened(names.any)) {
			names.start.increment();
			return;
		}
		// The stop or exception event carries the key values as they are at the end: build them
		// for the start only when someone listens to it.
		Map<String, ?> metadata = Map.of(TelemetrySpanContext.METADATA_KEY, spanContext(context));
		if (this.bus.isListened(names.startEvent)) {
			Map<String, Object> withKeyValues = metadata(context);
			withKeyValues.putAll(metadata);
			metadata = withKeyValues;
		}
		context.put(TelemetryObservationHandler.class, this.bus.startSpan(names.prefix, metadata, false));
	}

	@Override
	public void onStop(Observation.Context context) {
		TelemetrySpan span = context.get(TelemetryObservationHandler.class);
		Throwable error = context.getError();
		if (span == null) {
			Names names = names(context.getName());
			((error != null) ? names.exception : names.stop).increment();
		}
		else if (error != null) {
			span.exception(error, metadata(context));
		}
		else {
			span.stop(Map.of(), metadata(context));
		}
	}

	private Map<String, Object> metadata(Observation.Context context) {
		Map<String, Object> metadata = new HashMap<>();
		for (KeyValue keyValue : context.getLowCardinalityKeyValues()) {
			metadata.put(keyValue.getKey(), keyValue.getValue());
		}
		if (this.highCardinality != null) {
			for (KeyValue keyValue : context.getHighCardinalityKeyValues()) {
				Object value = this.highCardinality.apply(keyValue.getKey(), keyValue.getValue());
				metadata.put(keyValue.getKey(), (value instanceof String text) ? TextLimit.SPAN_ATTRIBUTE.cut(text) : value);
			}
		}
		if (context.getContextualName() != null) {
			metadata.put("contextual_name", context.getContextualName());
		}
		return metadata;
	}

	private static TelemetrySpanContext spanContext(Observation.Context context) {
		TracingContext tracing = TRACING_PRESENT ? context.get(TracingContext.class) : null;
		if (tracing == null || tracing.getSpan() == null) {
			return TelemetrySpanContext.create();
		}
		return TelemetrySpanContext.of(tracing.getSpan().context().traceId(), tracing.getSpan().context().spanId());
	}

	private Names names(@Nullable String name) {
		if (name == null) {
			return EXCLUDED;
		}
		Names cached = this.names.get(name);
		if (cached == null) {
			cached = createNames(name);
			if (this.names.size() < MAX_CACHED_NAMES) {
				this.names.putIfAbsent(name, cached);
			}
		}
		return cached;
	}

	private Names createNames(String name) {
		// Event names allow [A-Za-z0-9_-] segments; an Observation name may hold other characters.
		String[] segments = StringUtils.tokenizeToStringArray(name.replaceAll("[^A-Za-z0-9_.-]", "_"), ".");
		if (segments.length == 0 || this.excluded.stream().anyMatch((name + ".")::startsWith)) {
			return EXCLUDED;
		}
		EventName prefix = EventName.of(segments);
		String source = "observation '" + TextLimit.SPAN_ATTRIBUTE.cut(name) + "'";
		EventName start = prefix.append("start");
		return new Names(prefix, prefix.append("*"), start, this.recorder.counter(start, source),
				this.recorder.counter(prefix.append("stop"), source),
				this.recorder.counter(prefix.append("exception"), source));
	}

	/** An Observation's event names ({@code null} when not emitted), and its unheard emissions' counters. */
	private record Names(@Nullable EventName prefix, @Nullable EventName any, @Nullable EventName startEvent,
			Counter start, Counter stop, Counter exception) {
	}

}
