package dev.telemetry.autoconfigure;

import java.util.Map;

import dev.telemetry.EventName;
import dev.telemetry.PolledMeasurement;
import dev.telemetry.TelemetryEventBus;
import dev.telemetry.metrics.InvalidMetricDefinitionException;
import dev.telemetry.metrics.TelemetryMetrics;
import dev.telemetry.metrics.TelemetryPoller;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

@ExtendWith(OutputCaptureExtension.class)
class TelemetryMetricsAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TelemetryAutoConfiguration.class,
				TelemetryMetricsAutoConfiguration.class, TelemetryPollerAutoConfiguration.class))
		.withBean(MeterRegistry.class, SimpleMeterRegistry::new);

	// A metric declared in properties records the events it names.
	@Test
	void recordsDeclaredMetric() {
		this.contextRunner
			.withPropertyValues("telemetry.metrics[shop.orders].event=shop.checkout.stop",
					"telemetry.metrics[shop.orders].type=counter", "telemetry.metrics[shop.orders].tags=outcome")
			.run((context) -> {
				context.getBean(TelemetryEventBus.class)
					.execute(EventName.parse("shop.checkout.stop"), Map.of(), Map.of("outcome", "confirmed"));
				assertThat(context.getBean(MeterRegistry.class).get("shop.orders").tag("outcome", "confirmed").counter().count())
					.isEqualTo(1);
			});
	}

	// A dotted meter name written without brackets would be split and dropped; start-up stops and says to use brackets.
	@Test
	void dottedNameWithoutBracketsFailsWithHint(CapturedOutput output) {
		assertThatException().isThrownBy(() -> new SpringApplicationBuilder(MinimalConfiguration.class)
			.web(WebApplicationType.NONE)
			.properties("telemetry.metrics.shop.orders.event=shop.checkout.stop", "telemetry.metrics.shop.orders.type=counter")
			.run());
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("telemetry.metrics.shop.orders.event")
			.contains("\"[shop.checkout.duration]\":");
	}

	// A misspelt telemetry property stops start-up instead of being ignored.
	@Test
	void misspeltPropertyFailsStartup() {
		this.contextRunner.withPropertyValues("telemetry.handler-failur=keep")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException.class)
				.hasMessageContaining("telemetry.handler-failur"));
	}

	// A misspelt type stops start-up, naming the property.
	@Test
	void misspeltTypeFailsStartup() {
		this.contextRunner
			.withPropertyValues("telemetry.metrics.orders.event=shop.checkout.stop", "telemetry.metrics.orders.type=countr")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(InvalidMetricDefinitionException.class)
				.hasMessageContaining("telemetry.metrics.orders.type"));
	}

	// A real start-up with a misspelt type prints the failure analysis: the property, and how to fix it.
	@Test
	void failureAnalysisIsPrinted(CapturedOutput output) {
		assertThatException().isThrownBy(() -> new SpringApplicationBuilder(MinimalConfiguration.class)
			.web(WebApplicationType.NONE)
			.properties("telemetry.metrics.orders.event=shop.checkout.stop", "telemetry.metrics.orders.type=countr")
			.run());
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Property: telemetry.metrics.orders.type")
			.contains("unknown type 'countr'")
			.contains("use one of [counter, sum, last-value, summary, distribution]");
	}

	// The poller is on by default and takes the user's measurements too.
	@Test
	void pollerTakesUserMeasurements() {
		this.contextRunner.withBean(PolledMeasurement.class, () -> (bus) -> bus.execute("app.cache", Map.of("size", 3), Map.of()))
			.run((context) -> {
				assertThat(context).hasSingleBean(TelemetryPoller.class).hasSingleBean(TelemetryMetrics.class);
				java.util.List<EventName> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
				context.getBean(TelemetryEventBus.class).attach("t", EventName.parse("app.cache"), (e, m, md, c) -> seen.add(e), null);
				context.getBean(TelemetryPoller.class).poll();
				assertThat(seen).containsExactly(EventName.parse("app.cache"));
			});
	}

	// telemetry.poller.enabled=false turns the poller off.
	@Test
	void pollerCanBeDisabled() {
		this.contextRunner.withPropertyValues("telemetry.poller.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(TelemetryPoller.class));
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ TelemetryAutoConfiguration.class, TelemetryMetricsAutoConfiguration.class })
	static class MinimalConfiguration {

		@Bean
		MeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

}
