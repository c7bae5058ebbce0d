package dev.telemetry.autoconfigure;

import dev.telemetry.actuate.TelemetryEndpoint;
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

	// A user's own endpoint bean replaces ours.
	@Test
	void backsOffForUserEndpoint() {
		TelemetryEndpoint own = new TelemetryEndpoint(dev.telemetry.bus.BusStatistics.NONE, null, java.util.List::of);
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=telemetry")
			.withBean(TelemetryEndpoint.class, () -> own)
			.run((context) -> assertThat(context.getBean(TelemetryEndpoint.class)).isSameAs(own));
	}

}
