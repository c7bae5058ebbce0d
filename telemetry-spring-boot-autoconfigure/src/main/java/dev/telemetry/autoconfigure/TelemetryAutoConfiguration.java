package dev.telemetry.autoconfigure;

import java.util.stream.Stream;

import dev.telemetry.Redaction;
import dev.telemetry.TelemetryEventBus;
import dev.telemetry.bus.BusRecorder;
import dev.telemetry.bus.DefaultTelemetryEventBus;
import dev.telemetry.bus.TraceSpans;
import dev.telemetry.listener.TelemetryListenerRegistrar;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.aot.AotDetector;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ImportRuntimeHints;

/**
 * {@link AutoConfiguration Auto-configuration} for the telemetry event bus and the discovery of
 * {@code @TelemetryListener} beans.
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
@AutoConfiguration
@EnableConfigurationProperties(TelemetryProperties.class)
@ImportRuntimeHints(TelemetryAutoConfiguration.ProbedClassesRuntimeHints.class)
public final class TelemetryAutoConfiguration {

	private static final Log logger = LogFactory.getLog(TelemetryAutoConfiguration.class);

	@Bean
	@ConditionalOnMissingBean
	TelemetryEventBus telemetryEventBus(TelemetryProperties properties, ObjectProvider<TraceSpans> traceSpans,
			ObjectProvider<BusRecorder> recorder) {
		if (!properties.isEnabled()) {
			// Under Spring AOT the conditions were evaluated at build time, perhaps with telemetry on.
			logger.info("Telemetry is off (telemetry.enabled=false): no event is emitted, no handler attached"
					+ (AotDetector.useGeneratedArtifacts() ? ", no span started. This application runs on the "
							+ "bean definitions Spring AOT generated at build time: unless telemetry.enabled=false "
							+ "was set then too, the starter's other beans (the @TelemetryEvent advice among them) "
							+ "are there, idle" : ", no @TelemetryEvent method advised")
					+ "; /actuator/telemetry answers \"enabled\": false");
			return TelemetryEventBus.NOOP;
		}
		return new DefaultTelemetryEventBus(properties.getHandlerFailure(), properties.getHandlerFailureLogInterval(),
				traceSpans.getIfAvailable(() -> TraceSpans.NONE), recorder.getIfAvailable(() -> BusRecorder.NONE));
	}

	@Bean
	@ConditionalOnMissingBean
	Redaction telemetryRedaction(TelemetryProperties properties) {
		return Redaction.of(properties.getRedaction().getKeys());
	}

	@Bean
	@ConditionalOnBooleanProperty(name = "telemetry.enabled", matchIfMissing = true)
	static TelemetryListenerRegistrar telemetryListenerRegistrar(ObjectProvider<TelemetryEventBus> bus,
			ObjectProvider<BusRecorder> recorder) {
		return new TelemetryListenerRegistrar(bus, recorder);
	}

	// Under spring.main.lazy-initialization nothing would ever ask for a listener bean, so it would never be attached.
	@Bean
	@ConditionalOnBooleanProperty(name = "telemetry.enabled", matchIfMissing = true)
	static LazyInitializationExcludeFilter telemetryListenerLazyInitializationExcludeFilter() {
		return (beanName, definition, type) -> type != null && TelemetryListenerRegistrar.declaresListeners(type);
	}

	// The classes the starter looks for with ClassUtils.isPresent: a native image finds a class by name only if
	// it is registered, so that, present at build time, it is found at run time too.
	static class ProbedClassesRuntimeHints implements RuntimeHintsRegistrar {

		@Override
		public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
			// Not the exception whose getResponse() CountingSpanExporter reads: its class is OpenTelemetry's internal
			// one, so in a native image a failed export is described by the exception, not the collector's status.
			Stream.of("reactor.core.publisher.Mono", "io.micrometer.context.ContextSnapshotFactory",
					"jakarta.servlet.http.HttpServletRequest", "io.micrometer.tracing.handler.TracingObservationHandler",
					"io.micrometer.tracing.otel.bridge.OtelTracer",
					"io.opentelemetry.sdk.common.export.HttpResponse")
				.forEach((type) -> hints.reflection().registerTypeIfPresent(classLoader, type));
		}

	}

}
