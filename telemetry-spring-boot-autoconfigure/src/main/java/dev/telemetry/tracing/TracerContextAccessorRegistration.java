package dev.telemetry.tracing;

import io.micrometer.context.ContextRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.contextpropagation.ObservationAwareSpanThreadLocalAccessor;

import org.springframework.beans.factory.DisposableBean;

/**
 * Registers Micrometer Tracing's {@link ObservationAwareSpanThreadLocalAccessor} in the global
 * {@link ContextRegistry} for the life of the context, so that context snapshots also carry spans
 * made with the {@link Tracer} (those of {@code @TelemetryEvent} methods), not only Observations.
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
		// The registry is global: remove the accessor only if another context has not replaced it since.
		if (this.registry.getThreadLocalAccessors().contains(this.accessor)) {
			this.registry.removeThreadLocalAccessor(ObservationAwareSpanThreadLocalAccessor.KEY);
		}
	}

}
