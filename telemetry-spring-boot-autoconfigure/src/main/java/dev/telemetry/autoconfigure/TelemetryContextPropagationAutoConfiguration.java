package dev.telemetry.autoconfigure;

import dev.telemetry.tracing.ContextPropagatingExecutorPostProcessor;
import io.micrometer.context.ContextSnapshotFactory;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Fallback;
import org.springframework.core.task.support.ContextPropagatingTaskDecorator;

/**
 * {@link AutoConfiguration Auto-configuration} that makes executor beans carry the trace
 * context into their tasks, on by default ({@code telemetry.context-propagation.enabled}), unlike
 * Spring Boot's own {@code spring.task.execution.propagate-context}.
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
@AutoConfiguration(after = TaskExecutionAutoConfiguration.class)
@ConditionalOnClass(ContextSnapshotFactory.class)
@ConditionalOnBooleanProperty(name = { "telemetry.enabled", "telemetry.context-propagation.enabled" },
		matchIfMissing = true)
public final class TelemetryContextPropagationAutoConfiguration {

	// Boot's executor and scheduler builders compose it with the application's TaskDecorator beans, as they
	// do Boot's own (spring.task.execution.propagate-context); a TaskDecorator injected alone is the application's.
	@Bean
	@Fallback
	@ConditionalOnMissingBean
	ContextPropagatingTaskDecorator telemetryContextPropagatingTaskDecorator() {
		return new ContextPropagatingTaskDecorator(ContextPropagatingExecutorPostProcessor.TRACE_CONTEXT);
	}

	@Bean
	static ContextPropagatingExecutorPostProcessor telemetryContextPropagatingExecutorPostProcessor(
			ConfigurableListableBeanFactory beanFactory) {
		return new ContextPropagatingExecutorPostProcessor(beanFactory);
	}

}
