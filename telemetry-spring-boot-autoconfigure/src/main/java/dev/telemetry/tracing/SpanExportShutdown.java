package dev.telemetry.tracing;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.ExecutorConfigurationSupport;

/**
 * Exports every finished span when the application stops, whatever the export schedule delay,
 * after the web server's graceful shutdown and the task executors. It waits at most a timeout;
 * past it (a hung collector) it shuts OpenTelemetry down without waiting when the context closes
 * (or, after a refresh that failed, when it is destroyed), so that OpenTelemetry's own close, which
 * follows, does not wait again. A stop that a start follows leaves OpenTelemetry running.
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
public final class SpanExportShutdown implements SmartLifecycle, DisposableBean {

	private static final Log logger = LogFactory.getLog(SpanExportShutdown.class);

	private final SdkTracerProvider tracerProvider;

	private final SpanExportStatistics statistics;

	private final Duration timeout;

	private final BooleanSupplier closing;

	private volatile boolean running;

	private volatile boolean timedOut;

	/** Create a flush of {@code tracerProvider} that waits at most {@code timeout}; {@code closing} tells a close. */
	public SpanExportShutdown(SdkTracerProvider tracerProvider, SpanExportStatistics statistics, Duration timeout,
			BooleanSupplier closing) {
		this.tracerProvider = tracerProvider;
		this.statistics = statistics;
		this.timeout = timeout;
		this.closing = closing;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		long exportedBefore = this.statistics.exported();
		long failedBefore = this.statistics.failed();
		long start = System.nanoTime();
		CompletableResultCode result = this.tracerProvider.forceFlush()
			.join(this.timeout.toNanos(), TimeUnit.NANOSECONDS);
		long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
		long exported = this.statistics.exported() - exportedBefore;
		long failed = this.statistics.failed() - failedBefore;
		this.timedOut = !result.isDone();
		if (this.timedOut) {
			logger.warn("Finished spans were still being exported after " + SpanExportStatistics.format(this.timeout)
					+ " (telemetry.exporter.shutdown-timeout); on close, shutting down without waiting longer");
			// Now, whatever the order in which the beans that close OpenTelemetry are destroyed.
			if (this.closing.getAsBoolean()) {
				destroy();
			}
		}
		else if (!result.isSuccess() || failed > 0) {
			logger.warn("Flushing finished spans on shutdown took " + millis + " ms: " + exported + " exported, "
					+ failed + " failed to export");
		}
		else if (exported > 0) {
			logger.info("Exported the last " + exported + " finished spans on shutdown in " + millis + " ms");
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	// A refresh that failed stops the lifecycle before the context closes: destroyed before the tracer provider it
	// depends on, whose own close then finds it shut down already.
	@Override
	public void destroy() {
		if (this.timedOut) {
			this.timedOut = false;
			this.tracerProvider.shutdown();
		}
	}

	// A lower phase stops later: after the web server's graceful shutdown (SmartLifecycle.DEFAULT_PHASE - 1024)
	// and after the executors (ExecutorConfigurationSupport.DEFAULT_PHASE, half of it), whose tasks end spans.
	@Override
	public int getPhase() {
		return ExecutorConfigurationSupport.DEFAULT_PHASE - 1024;
	}

}
