package dev.telemetry.autoconfigure;

import dev.telemetry.TelemetryEventBus;
import dev.telemetry.aop.TelemetryEventAdvisor;
import dev.telemetry.aop.TelemetryEventMethods;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;

/**
 * {@link AutoConfiguration Auto-configuration} for the {@code @TelemetryEvent} advice
 * ({@code telemetry.annotations.enabled}): a Spring AOP advisor, applied with or without AspectJ.
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
@AutoConfiguration(after = TelemetryAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = { "telemetry.enabled", "telemetry.annotations.enabled" }, matchIfMissing = true)
public final class TelemetryAopAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	static TelemetryEventMethods telemetryEventMethods() {
		return new TelemetryEventMethods();
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	@ConditionalOnMissingBean
	static TelemetryEventAdvisor telemetryEventAdvisor(ObjectProvider<TelemetryEventBus> bus,
			ObjectProvider<TelemetryEventMethods> methods) {
		return new TelemetryEventAdvisor(bus::getObject, methods::getObject);
	}

}
