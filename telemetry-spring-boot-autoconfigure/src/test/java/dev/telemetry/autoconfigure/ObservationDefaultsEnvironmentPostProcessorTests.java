package dev.telemetry.autoconfigure;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.DefaultPropertiesPropertySource;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class ObservationDefaultsEnvironmentPostProcessorTests {

	private static final List<String> MESSAGING = List.of("spring.kafka.template.observation-enabled",
			"spring.kafka.listener.observation-enabled", "spring.rabbitmq.template.observation-enabled",
			"spring.rabbitmq.listener.simple.observation-enabled", "spring.rabbitmq.listener.direct.observation-enabled",
			"spring.rabbitmq.listener.stream.observation-enabled");

	private final ObservationDefaultsEnvironmentPostProcessor postProcessor = new ObservationDefaultsEnvironmentPostProcessor();

	private final StandardEnvironment environment = new StandardEnvironment();

	// With nothing set, Kafka's template and listener and RabbitMQ's template and three listener kinds observe.
	@Test
	void turnsOnKafkaAndRabbitObservation() {
		postProcess();
		assertThat(MESSAGING)
			.allSatisfy((name) -> assertThat(this.environment.getProperty(name, Boolean.class)).isTrue());
	}

	// With nothing set, datasource-micrometer records query spans only; a user's choice stays.
	@Test
	void recordsOnlyQuerySpansUnlessTheUserChooses() {
		postProcess();
		assertThat(this.environment.getProperty("jdbc.includes")).isEqualTo("QUERY");
		StandardEnvironment user = new StandardEnvironment();
		user.getPropertySources()
			.addLast(new MapPropertySource("user", Map.of("jdbc.includes", "CONNECTION,QUERY,FETCH")));
		this.postProcessor.postProcessEnvironment(user, new SpringApplication());
		assertThat(user.getProperty("jdbc.includes")).isEqualTo("CONNECTION,QUERY,FETCH");
	}

	// The defaults sit in the property source of lowest precedence, after every other one.
	@Test
	void addsTheDefaultsLast() {
		postProcess();
		assertThat(this.environment.getPropertySources().stream().reduce((first, second) -> second))
			.hasValueSatisfying((last) -> assertThat(last.getName()).isEqualTo(DefaultPropertiesPropertySource.NAME));
	}

	// A user's false, in any other source, stays false.
	@Test
	void leavesAUserSettingAlone() {
		this.environment.getPropertySources()
			.addLast(new MapPropertySource("user", Map.of("spring.kafka.listener.observation-enabled", "false")));
		postProcess();
		assertThat(this.environment.getProperty("spring.kafka.listener.observation-enabled", Boolean.class)).isFalse();
		assertThat(this.environment.getProperty("spring.kafka.template.observation-enabled", Boolean.class)).isTrue();
	}

	// A user's own default properties are kept, not overwritten by ours.
	@Test
	void keepsTheUsersDefaultProperties() {
		DefaultPropertiesPropertySource.addOrMerge(
				Map.of("spring.rabbitmq.template.observation-enabled", "false", "app.name", "shop"),
				this.environment.getPropertySources());
		postProcess();
		assertThat(this.environment.getProperty("spring.rabbitmq.template.observation-enabled", Boolean.class))
			.isFalse();
		assertThat(this.environment.getProperty("app.name")).isEqualTo("shop");
		assertThat(this.environment.getProperty("spring.rabbitmq.listener.simple.observation-enabled", Boolean.class))
			.isTrue();
	}

	// With telemetry.enabled=false the starter leaves Boot's defaults as they are.
	@Test
	void setsNothingWhenTelemetryIsDisabled() {
		this.environment.getPropertySources()
			.addFirst(new MapPropertySource("user", Map.of("telemetry.enabled", "false")));
		postProcess();
		assertThat(MESSAGING)
			.allSatisfy((name) -> assertThat(this.environment.containsProperty(name)).isFalse());
		assertThat(this.environment.containsProperty("jdbc.includes")).isFalse();
	}

	private void postProcess() {
		this.postProcessor.postProcessEnvironment(this.environment, new SpringApplication());
	}

}
