package dev.telemetry.autoconfigure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.DefaultPropertiesPropertySource;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Turns on Spring Boot's Kafka and RabbitMQ observation properties, which Boot leaves off, so that
 * a message sent in a trace is consumed in the same trace. The values go into Boot's
 * {@code defaultProperties}, of lowest precedence, and only for keys no other source sets; nothing
 * is set when {@code telemetry.enabled} is {@code false}.
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
class MessagingObservationEnvironmentPostProcessor implements EnvironmentPostProcessor {

	static final List<String> PROPERTIES = List.of("spring.kafka.template.observation-enabled",
			"spring.kafka.listener.observation-enabled", "spring.rabbitmq.template.observation-enabled",
			"spring.rabbitmq.listener.simple.observation-enabled",
			"spring.rabbitmq.listener.direct.observation-enabled",
			"spring.rabbitmq.listener.stream.observation-enabled");

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!environment.getProperty("telemetry.enabled", Boolean.class, true)) {
			return;
		}
		Map<String, Object> defaults = new LinkedHashMap<>();
		for (String name : PROPERTIES) {
			if (!environment.containsProperty(name)) {
				defaults.put(name, "true");
			}
		}
		// Not a source of our own added last: Boot keeps defaultProperties behind the
		// @PropertySource files that are added later, during the refresh.
		DefaultPropertiesPropertySource.addOrMerge(defaults, environment.getPropertySources());
	}

}
