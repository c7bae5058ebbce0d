package dev.telemetry.benchmarks;

import java.util.Collection;
import java.util.concurrent.atomic.LongAccumulator;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/**
 * A span exporter that keeps nothing: it notes the longest string attribute value among the spans
 * that Boot's batch processor hands it, so that a flood can show the attribute bound without an
 * exporter that would itself hold the spans. The starter counts the spans exported.
 */
class AttributeLengthExporter implements SpanExporter {

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

	long longestAttribute() {
		return this.longestAttribute.get();
	}

}
