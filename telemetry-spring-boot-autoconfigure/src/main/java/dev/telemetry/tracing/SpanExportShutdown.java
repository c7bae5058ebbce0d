package dev.telemetry.tracing;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.BeanNameAware;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.SpanExporters;

/**
 * Exports every finished span before the application exits. When the context closes, after the
 * web server has finished its requests and the task executor beans have finished their tasks, it
 * flushes the {@link SdkTracerProvider} and waits for the export, at most for a timeout, however
 * long the configured schedule delay. Then OpenTelemetry's own shutdown finds nothing left to do;
 * when the timeout passes (a hung collector), that shutdown is started without waiting, so that
 * the timeout bounds the whole wait.
 * <p>
 * The order is set on the bean factory: each executor bean is destroyed before this bean, and this
 * bean before the OpenTelemetry SDK, its span processors and its exporters, which would otherwise
 * stop accepting spans while an {@code @Async} task still runs.
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
public final class SpanExportShutdown
		implements DisposableBean, SmartInitializingSingleton, BeanFactoryAware, BeanNameAware {

	private static final Log logger = LogFactory.getLog(SpanExportShutdown.class);

	private static final Class<?>[] EXPORT_TYPES = { OpenTelemetry.class, SdkTracerProvider.class,
			SpanProcessor.class, SpanExporter.class, SpanExporters.class };

	private final SdkTracerProvider tracerProvider;

	private final SpanExportStatistics statistics;

	private final Duration timeout;

	private @Nullable ConfigurableListableBeanFactory beanFactory;

	private String beanName = SpanExportShutdown.class.getName();

	/**
	 * Create a shutdown flush.
	 * @param tracerProvider the tracer provider to flush
	 * @param statistics the export statistics, for the log line
	 * @param timeout how long to wait for the export
	 */
	public SpanExportShutdown(SdkTracerProvider tracerProvider, SpanExportStatistics statistics, Duration timeout) {
		this.tracerProvider = tracerProvider;
		this.statistics = statistics;
		this.timeout = timeout;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		if (beanFactory instanceof ConfigurableListableBeanFactory listable) {
			this.beanFactory = listable;
		}
	}

	@Override
	public void setBeanName(String name) {
		this.beanName = name;
	}

	@Override
	public void afterSingletonsInstantiated() {
		ConfigurableListableBeanFactory beanFactory = this.beanFactory;
		if (beanFactory == null) {
			return;
		}
		for (Class<?> type : EXPORT_TYPES) {
			for (String name : beanFactory.getBeanNamesForType(type, true, false)) {
				beanFactory.registerDependentBean(name, this.beanName);
			}
		}
		for (String executor : beanFactory.getBeanNamesForType(Executor.class, true, false)) {
			beanFactory.registerDependentBean(this.beanName, executor);
		}
	}

	@Override
	public void destroy() {
		long exportedBefore = this.statistics.exported();
		long failedBefore = this.statistics.failed();
		long start = System.nanoTime();
		CompletableResultCode result = this.tracerProvider.forceFlush()
			.join(this.timeout.toNanos(), TimeUnit.NANOSECONDS);
		long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
		long exported = this.statistics.exported() - exportedBefore;
		long failed = this.statistics.failed() - failedBefore;
		if (!result.isDone()) {
			logger.warn("Finished spans were still being exported after " + SpanExportStatistics.format(this.timeout)
					+ " (telemetry.exporter.shutdown-timeout); shutting down without waiting longer");
			// Start OpenTelemetry's shutdown without waiting for it: its own close, which follows,
			// then finds it under way and returns at once instead of waiting up to 10 s more.
			this.tracerProvider.shutdown();
		}
		else if (this.statistics.inFlight() > 0) {
			logger.warn("Flushing finished spans on shutdown ended with " + this.statistics.inFlight()
					+ " spans still being exported (the exporter's timeout passed first); they may be lost. "
					+ exported + " exported, " + failed + " failed to export in " + millis + " ms");
		}
		else if (!result.isSuccess() || failed > 0) {
			logger.warn("Flushing finished spans on shutdown took " + millis + " ms: " + exported + " exported, "
					+ failed + " failed to export");
		}
		else if (exported > 0) {
			logger.info("Exported the last " + exported + " finished spans on shutdown in " + millis + " ms");
		}
	}

}
