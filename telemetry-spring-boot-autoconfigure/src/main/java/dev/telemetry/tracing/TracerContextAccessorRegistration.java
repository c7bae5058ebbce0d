package dev.telemetry.tracing;

import io.micrometer.context.ContextRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.contextpropagation.ObservationAwareSpanThreadLocalAccessor;

import org.springframework.beans.factory.DisposableBean;

/**
 * Registers Micrometer Tracing's {@link ObservationAwareSpanThreadLocalAccessor} in the global
 * {@link ContextRegistry} for the life of the context, so that every context snapshot (our
 * executor decorators, Boot's, Reactor's) also carries spans made with the {@link Tracer} rather
 * than by an Observation, such as the spans of {@code @TelemetryEvent} methods. Only the
 * Observation accessor is registered by default.
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
public final class TracerContextAccessorRegistration implements DisposableBean {

	private final ContextRegistry registry;

	/**
	 * Register the accessor.
	 * @param registry the context registry, usually {@link ContextRegistry#getInstance()}
	 * @param observations the observation registry
	 * @param tracer the tracer
	 */
	public TracerContextAccessorRegistration(ContextRegistry registry, ObservationRegistry observations,
			Tracer tracer) {
		this.registry = registry;
		registry.registerThreadLocalAccessor(new ObservationAwareSpanThreadLocalAccessor(observations, tracer));
	}

	@Override
	public void destroy() {
		this.registry.removeThreadLocalAccessor(ObservationAwareSpanThreadLocalAccessor.KEY);
	}

}
