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

	private final ObservationAwareSpanThreadLocalAccessor accessor;

	/**
	 * Register the accessor.
	 * @param registry the context registry, usually {@link ContextRegistry#getInstance()}
	 * @param observations the observation registry
	 * @param tracer the tracer
	 */
	public TracerContextAccessorRegistration(ContextRegistry registry, ObservationRegistry observations,
			Tracer tracer) {
		this.registry = registry;
		this.accessor = new ObservationAwareSpanThreadLocalAccessor(observations, tracer);
		registry.registerThreadLocalAccessor(this.accessor);
	}

	@Override
	public void destroy() {
		// The registry is global: remove the accessor only if it is still ours, not one that another
		// context in the same JVM registered since.
		boolean ours = this.registry.getThreadLocalAccessors().stream().anyMatch((accessor) -> accessor == this.accessor);
		if (ours) {
			this.registry.removeThreadLocalAccessor(ObservationAwareSpanThreadLocalAccessor.KEY);
		}
	}

}
