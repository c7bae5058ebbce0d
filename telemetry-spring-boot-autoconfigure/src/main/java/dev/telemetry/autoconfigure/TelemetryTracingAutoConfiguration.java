package dev.telemetry.autoconfigure;

import dev.telemetry.Redaction;
import dev.telemetry.TraceContextCarrier;
import dev.telemetry.bus.TraceSpans;
import dev.telemetry.tracing.DefaultTraceContextCarrier;
import dev.telemetry.tracing.MicrometerTraceSpans;
import dev.telemetry.tracing.TracerContextAccessorRegistration;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshotFactory;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@link AutoConfiguration Auto-configuration} that records telemetry spans as trace spans with
 * Spring Boot's Micrometer {@link Tracer}, and carries trace context across threads and messages.
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
@AutoConfiguration(afterName = { "org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration",
		"org.springframework.boot.micrometer.tracing.autoconfigure.NoopTracerAutoConfiguration",
		"org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration",
		"org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration" },
		before = TelemetryAutoConfiguration.class)
@ConditionalOnClass({ ContextSnapshotFactory.class, Tracer.class })
public final class TelemetryTracingAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	TraceContextCarrier traceContextCarrier(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
		return new DefaultTraceContextCarrier(ContextSnapshotFactory.builder().build(),
				tracer.getIfAvailable(() -> Tracer.NOOP), propagator.getIfAvailable(() -> Propagator.NOOP));
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(Tracer.class)
	static class MicrometerTracingConfiguration {

		@Bean
		@ConditionalOnMissingBean
		TraceSpans telemetryTraceSpans(Tracer tracer, Redaction redaction) {
			// Boot's no-op tracer (tracing on the classpath but no bridge) records nothing: skip the work.
			return (tracer == Tracer.NOOP) ? TraceSpans.NONE : new MicrometerTraceSpans(tracer, redaction);
		}

		@Bean
		@ConditionalOnBean(ObservationRegistry.class)
		TracerContextAccessorRegistration telemetryTracerContextAccessorRegistration(ObservationRegistry observations,
				Tracer tracer) {
			return new TracerContextAccessorRegistration(ContextRegistry.getInstance(), observations, tracer);
		}

	}

}
