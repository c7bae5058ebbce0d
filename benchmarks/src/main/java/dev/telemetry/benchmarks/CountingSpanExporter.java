package dev.telemetry.benchmarks;

import java.util.Collection;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/**
 * A span exporter that keeps nothing: it counts the spans that Boot's batch processor hands it and
 * the longest string attribute value among them, so that a flood can show the attribute bound
 * without an exporter that would itself hold the spans.
 */
class CountingSpanExporter implements SpanExporter {

	private final AtomicLong exported = new AtomicLong();

	private final LongAccumulator longestAttribute = new LongAccumulator(Math::max, 0);

	@Override
	public CompletableResultCode export(Collection<SpanData> spans) {
		for (SpanData span : spans) {
			span.getAttributes().forEach((key, value) -> {
				if (value instanceof String string) {
					this.longestAttribute.accumulate(string.length());
				}
			});
		}
		this.exported.addAndGet(spans.size());
		return CompletableResultCode.ofSuccess();
	}

	@Override
	public CompletableResultCode flush() {
		return CompletableResultCode.ofSuccess();
	}

	@Override
	public CompletableResultCode shutdown() {
		return CompletableResultCode.ofSuccess();
	}

	long exported() {
		return this.exported.get();
	}

	long longestAttribute() {
		return this.longestAttribute.get();
	}

}
