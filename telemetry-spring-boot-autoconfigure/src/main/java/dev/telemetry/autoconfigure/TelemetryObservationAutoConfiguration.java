package dev.telemetry.autoconfigure;

import dev.telemetry.Redaction;
import dev.telemetry.TelemetryEventBus;
import dev.telemetry.bus.BusRecorder;
import dev.telemetry.observation.RequestObservationPredicate;
import dev.telemetry.observation.TelemetryObservationHandler;
import io.micrometer.observation.ObservationHandler;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;
import org.springframework.web.context.WebApplicationContext;

/**
 * {@link AutoConfiguration Auto-configuration} of the Observation bridge: a handler bean, which
 * Spring Boot registers after its tracing and meter handlers, emits every Observation on the bus
 * ({@code telemetry.observations.enabled}); and an {@link io.micrometer.observation.ObservationPredicate}
 * that leaves actuator and static resource requests unobserved.
 *
 * @author telemetry-spring-boot
 * @since 0.2.0
 */
@AutoConfiguration(after = TelemetryAutoConfiguration.class)
@ConditionalOnClass(ObservationHandler.class)
@ConditionalOnBooleanProperty(name = "telemetry.enabled", matchIfMissing = true)
public final class TelemetryObservationAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "telemetry.observations.enabled", matchIfMissing = true)
	TelemetryObservationHandler telemetryObservationHandler(TelemetryEventBus bus, ObjectProvider<BusRecorder> recorder,
			TelemetryProperties properties, Redaction redaction) {
		TelemetryProperties.Observations observations = properties.getObservations();
		return new TelemetryObservationHandler(bus, recorder.getIfAvailable(() -> BusRecorder.NONE),
				observations.getExclude(), observations.isHighCardinality() ? redaction : null);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnWebApplication
	RequestObservationPredicate telemetryRequestObservationPredicate(Environment environment,
			TelemetryProperties properties, ApplicationContext context) {
		TelemetryProperties.Observations observations = properties.getObservations();
		// Under Spring MVC's servlet path, if one is set (/api/actuator); not at the root, which the predicate leaves.
		String basePath = StringUtils.trimTrailingCharacter(
				environment.getProperty("management.endpoints.web.base-path", "/actuator"), '/');
		String servletPath = (context instanceof WebApplicationContext) ? StringUtils
			.trimTrailingCharacter(environment.getProperty("spring.mvc.servlet.path", ""), '/') : "";
		return new RequestObservationPredicate(observations.isObserveActuator() ? null
				: basePath.isEmpty() ? basePath : servletPath + basePath, !observations.isObserveStaticResources());
	}

}
