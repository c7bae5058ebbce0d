package dev.telemetry.tracing;

import java.lang.reflect.Method;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

/**
 * A {@link SpanExporter} that counts what its delegate exported and what failed into
 * {@link SpanExportStatistics}. An exporter that throws is turned into a failed result, so the
 * batch processor carries on with the next batch.
 *
 * @author telemetry-spring-boot
 */
final class CountingSpanExporter implements SpanExporter {

	private static final int MAX_ERROR_LENGTH = 300;

	/**
	 * OpenTelemetry's public types for a collector's answer, from 1.59 on; Spring Boot 4.0 brings
	 * 1.55, where a failure is described by its exception alone. Read reflectively so that the
	 * starter compiles and runs against both.
	 */
	private static final List<ResponseType> RESPONSE_TYPES = Stream
		.of(ResponseType.find("HTTP", "io.opentelemetry.sdk.common.export.HttpResponse", "getStatusMessage"),
				ResponseType.find("gRPC", "io.opentelemetry.sdk.common.export.GrpcResponse", "getStatusDescription"))
		.flatMap(Optional::stream)
		.toList();

	private final SpanExporter delegate;

	private final SpanExportStatistics statistics;

	private final SpanExportStatistics.Exporter counts;

	CountingSpanExporter(SpanExporter delegate, SpanExportStatistics statistics) {
		this.delegate = delegate;
		this.statistics = statistics;
		String name = delegate.getClass().getSimpleName();
		this.counts = statistics.register(name.isEmpty() ? delegate.getClass().getName() : name);
	}

	SpanExporter delegate() {
		return this.delegate;
	}

	@Override
	public CompletableResultCode export(Collection<SpanData> spans) {
		int count = spans.size();
		this.counts.exporting(count);
		CompletableResultCode result;
		try {
			result = this.delegate.export(spans);
		}
		catch (RuntimeException ex) {
			this.counts.failed(count, describe(ex));
			return CompletableResultCode.ofExceptionalFailure(ex);
		}
		result.whenComplete(() -> {
			if (result.isSuccess()) {
				this.counts.exported(count);
			}
			else {
				Throwable failure = result.getFailureThrowable();
				// The Zipkin exporter logs the cause under its class name and fails without it.
				String logged = (failure != null) ? null
						: this.statistics.lastLoggedError(this.delegate.getClass().getName());
				this.counts.failed(count, (logged != null) ? logged : describe(failure));
			}
		});
		return result;
	}

	@Override
	public CompletableResultCode flush() {
		return this.delegate.flush();
	}

	@Override
	public CompletableResultCode shutdown() {
		return this.delegate.shutdown();
	}

	@Override
	public void close() {
		this.delegate.close();
	}

	@Override
	public String toString() {
		return "CountingSpanExporter{" + this.delegate + "}";
	}

	/**
	 * One line on why an export failed: the collector's status when it answered, else the
	 * exception and its root cause.
	 */
	static String describe(@Nullable Throwable failure) {
		if (failure == null) {
			return "the exporter reported a failure without a cause (see its log)";
		}
		String status = responseStatus(failure);
		if (status != null) {
			return truncate("the collector answered " + status);
		}
		Throwable top = failure;
		while (isWrapper(top)) {
			top = top.getCause();
		}
		Throwable root = top;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return truncate((root != top) ? oneLine(top) + " (" + oneLine(root) + ")" : oneLine(top));
	}

	/**
	 * An exception that only wraps its cause, such as the OTLP exporters' own failure type, whose
	 * message is the cause's {@code toString()}.
	 */
	private static boolean isWrapper(Throwable failure) {
		Throwable cause = failure.getCause();
		return cause != null && cause != failure && cause.toString().equals(failure.getMessage());
	}

	private static String oneLine(Throwable failure) {
		String message = failure.getMessage();
		return failure.getClass().getName() + ((message != null) ? ": " + message.replaceAll("\\s+", " ") : "");
	}

	/**
	 * The OTLP exporters fail with an exception that carries the collector's response; its type is
	 * internal to OpenTelemetry, so it is read through the public response types, where they exist.
	 */
	private static @Nullable String responseStatus(Throwable failure) {
		try {
			Object response = failure.getClass().getMethod("getResponse").invoke(failure);
			for (ResponseType type : RESPONSE_TYPES) {
				if (type.type().isInstance(response)) {
					return type.protocol() + " " + type.status().invoke(response) + " " + type.message().invoke(response);
				}
			}
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			// Not an exporter exception with a response.
		}
		return null;
	}

	/**
	 * Whether a failed export can be described by the collector's status.
	 */
	static boolean describesResponses() {
		return !RESPONSE_TYPES.isEmpty();
	}

	private static String truncate(String text) {
		return (text.length() <= MAX_ERROR_LENGTH) ? text : text.substring(0, MAX_ERROR_LENGTH) + "...";
	}

	private record ResponseType(String protocol, Class<?> type, Method status, Method message) {

		static Optional<ResponseType> find(String protocol, String typeName, String messageMethod) {
			try {
				Class<?> type = ClassUtils.forName(typeName, CountingSpanExporter.class.getClassLoader());
				return Optional.of(new ResponseType(protocol, type, type.getMethod("getStatusCode"),
						type.getMethod(messageMethod)));
			}
			catch (ClassNotFoundException | LinkageError | NoSuchMethodException ex) {
				return Optional.empty();
			}
		}

	}

}
