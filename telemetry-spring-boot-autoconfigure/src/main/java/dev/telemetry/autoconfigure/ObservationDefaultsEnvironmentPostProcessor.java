package dev.telemetry.autoconfigure;

import java.util.HashMap;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.DefaultPropertiesPropertySource;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Observation defaults that make one trace without extra cost: Spring Boot's Kafka and RabbitMQ
 * observation properties, which Boot leaves off, are turned on, so that a message sent in a trace
 * is consumed in the same trace; datasource-micrometer records the query spans only, as the
 * OpenTelemetry agent does; and Boot's meter handler makes no {@code <name>.active} long task
 * timer per Observation, only the timer that dashboards read. The values go into Boot's
 * {@code defaultProperties}, of lowest precedence, only for keys no other source sets, and not at
 * all when {@code telemetry.enabled} is {@code false}.
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
class ObservationDefaultsEnvironmentPostProcessor implements EnvironmentPostProcessor {

	private static final Map<String, String> DEFAULTS = Map.of("spring.kafka.template.observation-enabled", "true",
			"spring.kafka.listener.observation-enabled", "true", "spring.rabbitmq.template.observation-enabled", "true",
			"spring.rabbitmq.listener.simple.observation-enabled", "true",
			"spring.rabbitmq.listener.direct.observation-enabled", "true",
			"spring.rabbitmq.listener.stream.observation-enabled", "true", "jdbc.includes", "QUERY",
			"management.metrics.observations.ignored-meters", "long-task-timer");

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!environment.getProperty("telemetry.enabled", Boolean.class, true)) {
			return;
		}
		Map<String, Object> defaults = new HashMap<>(DEFAULTS);
		defaults.keySet().removeIf(environment::containsProperty);
		// Not a source of our own added last: Boot keeps defaultProperties behind the
		// @PropertySource files that are added later, during the refresh.
		DefaultPropertiesPropertySource.addOrMerge(defaults, environment.getPropertySources());
	}

}
