package dev.telemetry.autoconfigure;

import dev.telemetry.TelemetryEventBus;
import dev.telemetry.aop.TelemetryEventAspect;
import dev.telemetry.aop.TelemetryEventMethodScanner;
import dev.telemetry.aop.TelemetryEventMethods;
import org.aspectj.weaver.Advice;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link AutoConfiguration Auto-configuration} for the {@code @TelemetryEvent} advice, on
 * whenever AspectJ is on the classpath ({@code telemetry.annotations.enabled}).
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
@AutoConfiguration(after = TelemetryAutoConfiguration.class)
@ConditionalOnClass(Advice.class)
@ConditionalOnBooleanProperty(name = { "telemetry.enabled", "telemetry.annotations.enabled" }, matchIfMissing = true)
public final class TelemetryAopAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	static TelemetryEventMethods telemetryEventMethods() {
		return new TelemetryEventMethods();
	}

	@Bean
	static TelemetryEventMethodScanner telemetryEventMethodScanner(ObjectProvider<TelemetryEventMethods> methods) {
		return new TelemetryEventMethodScanner(methods::getObject);
	}

	@Bean
	@ConditionalOnMissingBean
	TelemetryEventAspect telemetryEventAspect(TelemetryEventBus bus, TelemetryEventMethods methods) {
		return new TelemetryEventAspect(bus, methods);
	}

}
