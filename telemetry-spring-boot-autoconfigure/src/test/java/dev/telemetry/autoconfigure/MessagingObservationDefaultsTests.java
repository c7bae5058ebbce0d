package dev.telemetry.autoconfigure;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.amqp.rabbit.config.SimpleRabbitListenerContainerFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.amqp.autoconfigure.RabbitProperties;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.KafkaTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real start-ups of Boot's Kafka and RabbitMQ auto-configuration, with the post-processor found
 * through {@code spring.factories}: their templates and listener containers observe by default,
 * and a user's {@code false} wins wherever it is set. No broker is needed: nothing connects.
 */
class MessagingObservationDefaultsTests {

	// With nothing set, the Kafka and RabbitMQ templates and listener containers that Boot builds observe.
	@Test
	void bootsMessagingBeansObserveByDefault() {
		try (ConfigurableApplicationContext context = application(Messaging.class).run()) {
			assertObservationEnabled(context, true);
		}
	}

	// A false in the user's configuration file wins.
	@Test
	void falseInAConfigurationFileWins() {
		try (ConfigurableApplicationContext context = application(Messaging.class)
			.run("--spring.config.name=messaging-observation-off")) {
			assertObservationEnabled(context, false);
		}
	}

	// A false in an environment variable, in the form Boot documents, wins.
	@Test
	void falseInEnvironmentVariablesWins() {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
					new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
							Map.of("SPRING_KAFKA_TEMPLATE_OBSERVATIONENABLED", "false",
									"SPRING_KAFKA_LISTENER_OBSERVATIONENABLED", "false",
									"SPRING_RABBITMQ_TEMPLATE_OBSERVATIONENABLED", "false",
									"SPRING_RABBITMQ_LISTENER_SIMPLE_OBSERVATIONENABLED", "false",
									"SPRING_RABBITMQ_LISTENER_DIRECT_OBSERVATIONENABLED", "false",
									"SPRING_RABBITMQ_LISTENER_STREAM_OBSERVATIONENABLED", "false")));
		try (ConfigurableApplicationContext context = application(Messaging.class).environment(environment).run()) {
			assertObservationEnabled(context, false);
		}
	}

	// A false on the command line wins.
	@Test
	void falseOnTheCommandLineWins() {
		try (ConfigurableApplicationContext context = application(Messaging.class).run(
				"--spring.kafka.template.observation-enabled=false", "--spring.kafka.listener.observation-enabled=false",
				"--spring.rabbitmq.template.observation-enabled=false",
				"--spring.rabbitmq.listener.simple.observation-enabled=false",
				"--spring.rabbitmq.listener.direct.observation-enabled=false",
				"--spring.rabbitmq.listener.stream.observation-enabled=false")) {
			assertObservationEnabled(context, false);
		}
	}

	// A false in a @PropertySource file, which the refresh adds after the post-processor ran, wins.
	@Test
	void falseInAPropertySourceAnnotationWins() {
		try (ConfigurableApplicationContext context = application(MessagingWithPropertySource.class).run()) {
			assertObservationEnabled(context, false);
		}
	}

	// With telemetry.enabled=false, Boot's own defaults (off) stay.
	@Test
	void bootsDefaultsStayWhenTelemetryIsDisabled() {
		try (ConfigurableApplicationContext context = application(Messaging.class).run("--telemetry.enabled=false")) {
			assertObservationEnabled(context, false);
		}
	}

	private static SpringApplicationBuilder application(Class<?> configuration) {
		return new SpringApplicationBuilder(configuration).web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false);
	}

	private static void assertObservationEnabled(ConfigurableApplicationContext context, boolean enabled) {
		assertThat(context.getBean(KafkaTemplate.class)).hasFieldOrPropertyWithValue("observationEnabled", enabled);
		assertThat(context.getBean(ConcurrentKafkaListenerContainerFactory.class)
			.getContainerProperties()
			.isObservationEnabled()).isEqualTo(enabled);
		assertThat(context.getBean(RabbitTemplate.class)).hasFieldOrPropertyWithValue("observationEnabled", enabled);
		assertThat(context.getBean(SimpleRabbitListenerContainerFactory.class))
			.hasFieldOrPropertyWithValue("observationEnabled", enabled);
		RabbitProperties.Listener listener = context.getBean(RabbitProperties.class).getListener();
		assertThat(listener.getDirect().isObservationEnabled()).isEqualTo(enabled);
		assertThat(listener.getStream().isObservationEnabled()).isEqualTo(enabled);
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ KafkaAutoConfiguration.class, RabbitAutoConfiguration.class })
	static class Messaging {

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ KafkaAutoConfiguration.class, RabbitAutoConfiguration.class })
	@PropertySource("classpath:messaging-observation-off.properties")
	static class MessagingWithPropertySource {

	}

}
