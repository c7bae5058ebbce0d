package dev.telemetry;

import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

/**
 * Carries the current trace context (the current Observation and span, and so the trace ids in the
 * MDC; not other thread locals, such as the security context) across boundaries that Spring does
 * not cross for you: hand-made executors, tasks,
 * {@code CompletableFuture.*Async} calls, and messages. Executor and scheduler beans carry it
 * already ({@code telemetry.context-propagation.enabled}); this is for the ones you make yourself.
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
public interface TraceContextCarrier {

	/** A task that runs in the context current now, whichever thread runs it. */
	Runnable wrap(Runnable task);

	/** Like {@link #wrap(Runnable)}, for a task with a result. */
	<T> Callable<T> wrap(Callable<T> task);

	/**
	 * An executor that runs every task in the context that was current when it was submitted;
	 * pass it to {@code CompletableFuture.supplyAsync(supplier, executor)}.
	 */
	Executor wrap(Executor executor);

	/** Like {@link #wrap(Executor)}, for an executor service. */
	ExecutorService wrap(ExecutorService executor);

	/**
	 * Write the current trace context into message headers, with the propagators Spring Boot
	 * configured (W3C {@code traceparent} and {@code baggage} by default). Does nothing when no span
	 * is current.
	 */
	void inject(Map<String, String> headers);

	/**
	 * Run the consumer side of a message in a span named {@code spanName} that continues the trace
	 * found in the headers, or starts a new trace when they hold none (or hold a malformed one),
	 * and return what the body returned.
	 */
	<T> T continueTrace(Map<String, String> headers, String spanName, Supplier<T> body);

}
