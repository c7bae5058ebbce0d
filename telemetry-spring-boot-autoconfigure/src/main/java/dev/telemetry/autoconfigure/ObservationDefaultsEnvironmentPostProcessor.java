package dev.telemetry.autoconfigure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.DefaultPropertiesPropertySource;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Observation defaults that make one trace without extra cost: Spring Boot's Kafka and RabbitMQ
 * observation properties, which Boot leaves off, are turned on, so that a message sent in a trace
 * is consumed in the same trace; datasource-micrometer records the query spans only
 * ({@code jdbc.includes=QUERY}), not one span per connection and per result set, as the
 * OpenTelemetry agent does; and Boot's meter handler makes no {@code <name>.active} long task
 * timer per Observation (the agent records none either), only the timer, which is what dashboards
 * read. The values go into Boot's {@code defaultProperties}, of lowest
 * precedence, and only for keys no other source sets; nothing is set when
 * {@code telemetry.enabled} is {@code false}.
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
class ObservationDefaultsEnvironmentPostProcessor implements EnvironmentPostProcessor {

	static final List<String> MESSAGING = List.of("spring.kafka.template.observation-enabled",
			"spring.kafka.listener.observation-enabled", "spring.rabbitmq.template.observation-enabled",
			"spring.rabbitmq.listener.simple.observation-enabled",
			"spring.rabbitmq.listener.direct.observation-enabled",
			"spring.rabbitmq.listener.stream.observation-enabled");

	static final String JDBC_INCLUDES = "jdbc.includes";

	static final String IGNORED_METERS = "management.metrics.observations.ignored-meters";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!environment.getProperty("telemetry.enabled", Boolean.class, true)) {
			return;
		}
		Map<String, Object> defaults = new LinkedHashMap<>();
		for (String name : MESSAGING) {
			if (!environment.containsProperty(name)) {
				defaults.put(name, "true");
			}
		}
		if (!environment.containsProperty(JDBC_INCLUDES)) {
			defaults.put(JDBC_INCLUDES, "QUERY");
		}
		if (!environment.containsProperty(IGNORED_METERS)) {
			defaults.put(IGNORED_METERS, "long-task-timer");
		}
		// Not a source of our own added last: Boot keeps defaultProperties behind the
		// @PropertySource files that are added later, during the refresh.
		DefaultPropertiesPropertySource.addOrMerge(defaults, environment.getPropertySources());
	}

}
