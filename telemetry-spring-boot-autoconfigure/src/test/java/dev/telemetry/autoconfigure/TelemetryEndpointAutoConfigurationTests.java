package dev.telemetry.autoconfigure;

import java.util.List;

import dev.telemetry.actuate.TelemetryEndpoint;
import dev.telemetry.bus.BusStatistics;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class TelemetryEndpointAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EndpointAutoConfiguration.class, WebEndpointAutoConfiguration.class,
				TelemetryAutoConfiguration.class, TelemetryEndpointAutoConfiguration.class));

	// Like every endpoint but health, it is not there unless the user exposes it.
	@Test
	void notExposedByDefault() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(TelemetryEndpoint.class));
	}

	// Exposing it over the web makes it available.
	@Test
	void availableWhenExposed() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=health,telemetry")
			.run((context) -> assertThat(context).hasSingleBean(TelemetryEndpoint.class));
	}

	// Access none turns it off even when exposed.
	@Test
	void offWhenAccessIsNone() {
		this.contextRunner
			.withPropertyValues("management.endpoints.web.exposure.include=telemetry",
					"management.endpoint.telemetry.access=NONE")
			.run((context) -> assertThat(context).doesNotHaveBean(TelemetryEndpoint.class));
	}

	// With telemetry.enabled=false the endpoint says so in one field, instead of answering empty lists.
	@Test
	void saysWhenTelemetryIsOff() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=telemetry")
			.run((context) -> assertThat(context.getBean(TelemetryEndpoint.class).telemetry().enabled()).isTrue());
		this.contextRunner
			.withPropertyValues("management.endpoints.web.exposure.include=telemetry", "telemetry.enabled=false")
			.run((context) -> assertThat(context.getBean(TelemetryEndpoint.class).telemetry().enabled()).isFalse());
	}

	// A user's own endpoint bean replaces ours.
	@Test
	void backsOffForUserEndpoint() {
		TelemetryEndpoint own = new TelemetryEndpoint(BusStatistics.NONE, null, List::of);
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=telemetry")
			.withBean(TelemetryEndpoint.class, () -> own)
			.run((context) -> assertThat(context.getBean(TelemetryEndpoint.class)).isSameAs(own));
	}

}
