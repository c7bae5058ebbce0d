package dev.telemetry.tracing;

import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

import dev.telemetry.TraceContextCarrier;
import io.micrometer.context.ContextExecutorService;
import io.micrometer.context.ContextSnapshotFactory;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;

/**
 * The {@link TraceContextCarrier} over Micrometer's context-propagation snapshots (threads) and
 * Micrometer Tracing's {@link Propagator} (messages).
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
public final class DefaultTraceContextCarrier implements TraceContextCarrier {

	private final ContextSnapshotFactory snapshots = ContextPropagatingExecutorPostProcessor.TRACE_CONTEXT;

	private final Tracer tracer;

	private final Propagator propagator;

	/** Create a carrier over the global {@code ContextRegistry}; without tracing, pass the {@code NOOP}s. */
	public DefaultTraceContextCarrier(Tracer tracer, Propagator propagator) {
		this.tracer = tracer;
		this.propagator = propagator;
	}

	@Override
	public Runnable wrap(Runnable task) {
		return this.snapshots.captureAll().wrap(task);
	}

	@Override
	public <T> Callable<T> wrap(Callable<T> task) {
		return this.snapshots.captureAll().wrap(task);
	}

	@Override
	public Executor wrap(Executor executor) {
		return (task) -> executor.execute(wrap(task));
	}

	@Override
	public ExecutorService wrap(ExecutorService executor) {
		return ContextExecutorService.wrap(executor, this.snapshots::captureAll);
	}

	@Override
	public void inject(Map<String, String> headers) {
		Span current = this.tracer.currentSpan();
		if (current != null) {
			this.propagator.inject(current.context(), headers, Map::put);
		}
	}

	@Override
	public <T> T continueTrace(Map<String, String> headers, String spanName, Supplier<T> body) {
		Span span = this.propagator.extract(headers, Map::get).name(spanName).kind(Span.Kind.CONSUMER).start();
		try (Tracer.SpanInScope scope = this.tracer.withSpan(span)) {
			return body.get();
		}
		catch (Throwable ex) {
			// Throwable: a checked exception thrown sneakily marks the span too.
			span.error(ex);
			throw ex;
		}
		finally {
			span.end();
		}
	}

}
