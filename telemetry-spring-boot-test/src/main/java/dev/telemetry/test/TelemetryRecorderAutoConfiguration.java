package dev.telemetry.test;

import dev.telemetry.TelemetryEventBus;
import dev.telemetry.autoconfigure.TelemetryAutoConfiguration;
import io.opentelemetry.sdk.trace.SpanProcessor;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@link AutoConfiguration Auto-configuration} of the test kit, for tests only (add this module
 * with test scope): a {@link TelemetryRecorder} bean that records every event of the context's
 * bus, as the handler {@code telemetry-recorder}, and, with OpenTelemetry on the classpath, every
 * finished span, through a span processor that Spring Boot adds beside its own exporting one.
 * Define a {@code TelemetryRecorder} bean to replace it.
 *
 * @author telemetry-spring-boot
 * @since 0.2.0
 */
@AutoConfiguration(after = TelemetryAutoConfiguration.class)
@ConditionalOnBean(TelemetryEventBus.class)
public final class TelemetryRecorderAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	TelemetryRecorder telemetryRecorder(TelemetryEventBus bus, ObjectProvider<SpanSource> spans) {
		return TelemetryRecorder.attach(bus, "telemetry-recorder", spans.getIfAvailable());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(SpanProcessor.class)
	@ConditionalOnMissingBean(TelemetryRecorder.class)
	static class SpanRecordingConfiguration {

		@Bean
		RecordingSpanProcessor telemetryRecordingSpanProcessor() {
			return new RecordingSpanProcessor();
		}

	}

}
