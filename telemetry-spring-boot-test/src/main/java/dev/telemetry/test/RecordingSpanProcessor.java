package dev.telemetry.test;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.jspecify.annotations.Nullable;

/**
 * An OpenTelemetry {@link SpanProcessor} that keeps finished spans in memory, beside whatever
 * Spring Boot exports, synchronously as each span ends. It remembers the thread each span started
 * on, which a finished span does not tell, and the spans still open.
 *
 * @author telemetry-spring-boot
 */
final class RecordingSpanProcessor implements SpanProcessor, SpanSource {

	private final Map<String, Open> open = new ConcurrentHashMap<>();

	private final Queue<RecordedSpan> finished = new ConcurrentLinkedQueue<>();

	private final Set<String> remoteParents = ConcurrentHashMap.newKeySet();

	@Override
	public void onStart(Context parentContext, ReadWriteSpan span) {
		this.open.put(span.getSpanContext().getSpanId(), new Open(span, Thread.currentThread().getName()));
	}

	@Override
	public boolean isStartRequired() {
		return true;
	}

	@Override
	public void onEnd(ReadableSpan span) {
		Open started = this.open.remove(span.getSpanContext().getSpanId());
		RecordedSpan recorded = record(span.toSpanData(), (started != null) ? started.thread : null);
		if (span.getParentSpanContext().isRemote()) {
			this.remoteParents.add(recorded.spanId());
		}
		this.finished.add(recorded);
	}

	@Override
	public boolean isEndRequired() {
		return true;
	}

	@Override
	public List<RecordedSpan> finished() {
		return List.copyOf(this.finished);
	}

	@Override
	public List<RecordedSpan> open() {
		return this.open.values().stream().map((started) -> record(started.span.toSpanData(), started.thread)).toList();
	}

	@Override
	public boolean hasRemoteParent(RecordedSpan span) {
		return this.remoteParents.contains(span.spanId());
	}

	@Override
	public @Nullable String currentTraceId() {
		SpanContext context = Span.current().getSpanContext();
		return context.isValid() ? context.getTraceId() : null;
	}

	@Override
	public void clear() {
		this.finished.clear();
		this.remoteParents.clear();
	}

	private static RecordedSpan record(SpanData span, @Nullable String thread) {
		Map<String, String> attributes = new LinkedHashMap<>();
		span.getAttributes().forEach((key, value) -> attributes.put(key.getKey(), String.valueOf(value)));
		if (thread != null) {
			attributes.putIfAbsent(RecordedSpan.THREAD_NAME, thread);
		}
		SpanContext parent = span.getParentSpanContext();
		return new RecordedSpan(span.getName(), span.getTraceId(), span.getSpanId(),
				parent.isValid() ? parent.getSpanId() : null, span.getKind().name(),
				Collections.unmodifiableMap(attributes));
	}

	private record Open(ReadableSpan span, String thread) {
	}

}
