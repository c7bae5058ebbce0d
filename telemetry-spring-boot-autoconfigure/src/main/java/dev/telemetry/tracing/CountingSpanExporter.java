package dev.telemetry.tracing;

import java.time.Instant;
import java.util.Collection;
import java.util.concurrent.atomic.LongAdder;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.telemetry.bus.TextLimit;
import dev.telemetry.tracing.SpanExportStatistics.ExportFailure;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.jspecify.annotations.Nullable;

import org.springframework.core.NestedExceptionUtils;
import org.springframework.util.ClassUtils;

/**
 * A {@link SpanExporter} that counts what its delegate exported and what failed, with the last
 * error and the last success. An exporter that throws fails its batch instead, so that the batch
 * processor carries on with the next one.
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
public final class CountingSpanExporter implements SpanExporter {

	/** OpenTelemetry's public types for a collector's answer, from 1.59 on (Boot 4.0 brings 1.55). */
	static final boolean RESPONSES_PUBLIC = ClassUtils.isPresent("io.opentelemetry.sdk.common.export.HttpResponse",
			CountingSpanExporter.class.getClassLoader());

	private final SpanExporter delegate;

	private final String name;

	private final SpanExportStatistics statistics;

	private final LongAdder exported = new LongAdder();

	private final LongAdder failed = new LongAdder();

	private volatile boolean failing;

	private volatile @Nullable Instant lastSuccess;

	private volatile @Nullable ExportFailure lastError;

	CountingSpanExporter(SpanExporter delegate, String name, SpanExportStatistics statistics) {
		this.delegate = delegate;
		this.name = name;
		this.statistics = statistics;
	}

	@Override
	public CompletableResultCode export(Collection<SpanData> spans) {
		int count = spans.size();
		try {
			CompletableResultCode result = this.delegate.export(spans);
			return result.whenComplete(() -> ended(count, result.isSuccess(), result.getFailureThrowable()));
		}
		catch (RuntimeException ex) {
			ended(count, false, ex);
			return CompletableResultCode.ofExceptionalFailure(ex);
		}
	}

	private void ended(int spans, boolean success, @Nullable Throwable failure) {
		// The time and the error first: whoever sees the count sees them.
		if (success) {
			this.lastSuccess = Instant.now();
			this.exported.add(spans);
		}
		else {
			this.lastError = new ExportFailure(Instant.now(), this.name, describe(failure));
			this.failed.add(spans);
		}
		this.failing = !success;
		this.statistics.exportEnded(success ? 0 : spans);
	}

	@Override
	public CompletableResultCode flush() {
		return this.delegate.flush();
	}

	@Override
	public CompletableResultCode shutdown() {
		return this.delegate.shutdown();
	}

	boolean failing() {
		return this.failing;
	}

	/** The exporter's class name, numbered when two exporters share it. */
	public String name() {
		return this.name;
	}

	long exported() {
		return this.exported.sum();
	}

	long failed() {
		return this.failed.sum();
	}

	/** What this exporter has done since start-up. */
	public ExporterSnapshot snapshot() {
		return new ExporterSnapshot(this.name, exported(), failed(), this.lastError, this.lastSuccess);
	}

	// The collector's status when it answered, else the exception past those that only wrap their
	// cause (as the OTLP exporters' own does), with its root cause.
	static String describe(@Nullable Throwable failure) {
		if (failure == null) {
			return "the exporter gave no cause (it may have logged one)";
		}
		String status = status(failure, "HTTP", "HttpResponse", "getStatusMessage");
		status = (status != null) ? status : status(failure, "gRPC", "GrpcResponse", "getStatusDescription");
		if (status != null) {
			return TextLimit.EXPORT_ERROR.cut("the collector answered " + status);
		}
		Throwable top = failure;
		while (top.getCause() != null && top.getCause() != top && top.getCause().toString().equals(top.getMessage())) {
			top = top.getCause();
		}
		Throwable root = NestedExceptionUtils.getMostSpecificCause(top);
		return TextLimit.EXPORT_ERROR.cut((root != top) ? oneLine(top) + " (" + oneLine(root) + ")" : oneLine(top));
	}

	// The OTLP exporters' failure carries the answer as getResponse(), of a type public from 1.59 on:
	// read reflectively, so that the starter runs against both (before 1.59, the type is not found).
	private static @Nullable String status(Throwable failure, String protocol, String type, String message) {
		try {
			Object response = failure.getClass().getMethod("getResponse").invoke(failure);
			Class<?> responseType = ClassUtils.forName("io.opentelemetry.sdk.common.export." + type,
					CountingSpanExporter.class.getClassLoader());
			return responseType.isInstance(response) ? protocol + " "
					+ responseType.getMethod("getStatusCode").invoke(response) + " "
					+ responseType.getMethod(message).invoke(response) : null;
		}
		catch (ReflectiveOperationException | RuntimeException | LinkageError ex) {
			return null;
		}
	}

	private static String oneLine(Throwable failure) {
		String message = failure.getMessage();
		return failure.getClass().getName() + ((message != null) ? ": " + message.replaceAll("\\s+", " ") : "");
	}

	/** One span exporter, by class. */
	@JsonInclude(JsonInclude.Include.ALWAYS)
	public record ExporterSnapshot(String name, long exported, long failed, @Nullable ExportFailure lastError,
			@Nullable Instant lastSuccess) {
	}

}
