package dev.telemetry.autoconfigure;

import java.util.List;

import dev.telemetry.Redaction;
import dev.telemetry.TraceContextCarrier;
import dev.telemetry.bus.TraceSpans;
import dev.telemetry.tracing.BaggageTagSpanProcessor;
import dev.telemetry.tracing.DefaultTraceContextCarrier;
import dev.telemetry.tracing.MicrometerTraceSpans;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshotFactory;
import io.micrometer.context.ThreadLocalAccessor;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.contextpropagation.ObservationAwareSpanThreadLocalAccessor;
import io.micrometer.tracing.propagation.Propagator;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.OnPropertyListCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * {@link AutoConfiguration Auto-configuration} that records telemetry spans as trace spans with
 * Spring Boot's Micrometer {@link Tracer}, and carries trace context across threads and messages.
 * With {@code telemetry.enabled=false}, only the {@link TraceContextCarrier} is left, for the code
 * that injects it.
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

	private static final String TAG_FIELDS = "management.tracing.baggage.tag-fields";

	@Bean
	@ConditionalOnMissingBean
	TraceContextCarrier traceContextCarrier(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
		return new DefaultTraceContextCarrier(tracer.getIfAvailable(() -> Tracer.NOOP),
				propagator.getIfAvailable(() -> Propagator.NOOP));
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(Tracer.class)
	@ConditionalOnBooleanProperty(name = "telemetry.enabled", matchIfMissing = true)
	static class MicrometerTracingConfiguration {

		@Bean
		@ConditionalOnMissingBean
		TraceSpans telemetryTraceSpans(Tracer tracer, Redaction redaction) {
			// Boot's no-op tracer (tracing on the classpath but no bridge) records nothing: skip the work.
			return (tracer == Tracer.NOOP) ? TraceSpans.NONE : MicrometerTraceSpans.of(tracer, redaction);
		}

		// Snapshots also carry spans made with the Tracer (those of @TelemetryEvent methods), not only Observations.
		// The registry is global: on close, the accessor goes unless another context has replaced it since.
		@Bean
		@ConditionalOnBean(ObservationRegistry.class)
		DisposableBean telemetryTracerContextAccessorRegistration(ObservationRegistry observations, Tracer tracer) {
			ContextRegistry registry = ContextRegistry.getInstance();
			ThreadLocalAccessor<?> accessor = new ObservationAwareSpanThreadLocalAccessor(observations, tracer);
			registry.registerThreadLocalAccessor(accessor);
			return () -> {
				if (registry.getThreadLocalAccessors().contains(accessor)) {
					registry.removeThreadLocalAccessor(ObservationAwareSpanThreadLocalAccessor.KEY);
				}
			};
		}

		// Under spring.main.lazy-initialization nothing would ask for the registration, which acts when made.
		@Bean
		static LazyInitializationExcludeFilter telemetryTracerContextAccessorLazyInitializationExcludeFilter() {
			return (beanName, definition, type) -> "telemetryTracerContextAccessorRegistration".equals(beanName);
		}

	}

	// Boot puts incoming baggage in the context but tags no span with the allow-listed keys.
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "io.opentelemetry.sdk.trace.SpanProcessor")
	@ConditionalOnBooleanProperty(name = "telemetry.enabled", matchIfMissing = true)
	@Conditional(OnBaggageTagFieldsCondition.class)
	static class BaggageTagConfiguration {

		@Bean
		@ConditionalOnMissingBean
		BaggageTagSpanProcessor telemetryBaggageTagSpanProcessor(Environment environment, Redaction redaction) {
			List<String> keys = Binder.get(environment).bind(TAG_FIELDS, Bindable.listOf(String.class)).get();
			return new BaggageTagSpanProcessor(keys, redaction);
		}

	}

	static class OnBaggageTagFieldsCondition extends OnPropertyListCondition {

		OnBaggageTagFieldsCondition() {
			super(TAG_FIELDS, () -> ConditionMessage.forCondition("Baggage tag fields"));
		}

	}

}
