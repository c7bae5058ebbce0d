package dev.telemetry.autoconfigure;

import java.util.Map;

import dev.telemetry.EventName;
import dev.telemetry.PolledMeasurement;
import dev.telemetry.TelemetryEventBus;
import dev.telemetry.actuate.TelemetryEndpoint;
import dev.telemetry.metrics.MetricStatisticsSource.MetricStatistics;
import dev.telemetry.metrics.TelemetryMetrics;
import dev.telemetry.metrics.TelemetryPoller;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.LazyInitializationBeanFactoryPostProcessor;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
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

	// A metric declared in properties records the events it names; type and unit bind as written in the README.
	@Test
	void recordsDeclaredMetric() {
		this.contextRunner
			.withPropertyValues("telemetry.metrics[shop.orders].event=shop.checkout.stop",
					"telemetry.metrics[shop.orders].type=counter", "telemetry.metrics[shop.orders].tags=outcome",
					"telemetry.metrics[shop.last].event=shop.checkout.stop", "telemetry.metrics[shop.last].type=last-value",
					"telemetry.metrics[shop.last].measurement=duration", "telemetry.metrics[shop.last].unit=milliseconds")
			.run((context) -> {
				context.getBean(TelemetryEventBus.class)
					.execute(EventName.parse("shop.checkout.stop"), Map.of("duration", 1500), Map.of("outcome", "confirmed"));
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get("shop.orders").tag("outcome", "confirmed").counter().count()).isEqualTo(1);
				assertThat(registry.get("shop.last").gauge().value()).isEqualTo(1.5);
				assertThat(registry.get("shop.last").gauge().getId().getBaseUnit()).isEqualTo("seconds");
			});
	}

	// Under spring.main.lazy-initialization=true, where nothing asks for them, the metrics still record.
	@Test
	void recordsUnderLazyInitialization() {
		this.contextRunner
			.withInitializer((context) -> context.addBeanFactoryPostProcessor(new LazyInitializationBeanFactoryPostProcessor()))
			.withPropertyValues("telemetry.metrics[shop.orders].event=shop.checkout.stop",
					"telemetry.metrics[shop.orders].type=counter")
			.run((context) -> {
				context.getBean(TelemetryEventBus.class).execute(EventName.parse("shop.checkout.stop"), Map.of(), Map.of());
				assertThat(context.getBean(MeterRegistry.class).get("shop.orders").counter().count()).isEqualTo(1);
			});
	}

	// /actuator/telemetry lists each declared metric with its event, type as written, series, cap (its own, else
	// telemetry.metric-defaults.max-series), overflow and skips.
	@Test
	void endpointListsDeclaredMetrics() {
		this.contextRunner
			.withConfiguration(AutoConfigurations.of(EndpointAutoConfiguration.class, WebEndpointAutoConfiguration.class,
					TelemetryEndpointAutoConfiguration.class))
			.withPropertyValues("management.endpoints.web.exposure.include=telemetry",
					"telemetry.metrics[shop.orders].event=shop.checkout.stop", "telemetry.metrics[shop.orders].type=counter",
					"telemetry.metrics[shop.orders].tags=outcome", "telemetry.metrics[shop.orders].max-series=1",
					"telemetry.metrics[shop.weight].event=shop.checkout.stop", "telemetry.metrics[shop.weight].type=summary",
					"telemetry.metrics[shop.weight].measurement=weight", "telemetry.metric-defaults.max-series=50")
			.run((context) -> {
				TelemetryEventBus bus = context.getBean(TelemetryEventBus.class);
				bus.execute(EventName.parse("shop.checkout.stop"), Map.of(), Map.of("outcome", "confirmed"));
				bus.execute(EventName.parse("shop.checkout.stop"), Map.of(), Map.of("outcome", "declined"));
				assertThat(context.getBean(TelemetryEndpoint.class).telemetry().metrics()).containsExactly(
						new MetricStatistics("shop.orders", "shop.checkout.stop", "counter", 2, 1, 1, 0, 2.0),
						new MetricStatistics("shop.weight", "shop.checkout.stop", "summary", 0, 50, 0, 2, null));
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

	// A misspelt type stops start-up in Boot's binder, naming the property.
	@Test
	void misspeltTypeFailsStartup() {
		this.contextRunner
			.withPropertyValues("telemetry.metrics.orders.event=shop.checkout.stop", "telemetry.metrics.orders.type=countr")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("Failed to bind properties under 'telemetry.metrics.orders.type'"));
	}

	// A real start-up with a misspelt type prints Boot's analysis: the property, its value, and the valid types as written.
	@Test
	void misspeltTypeListsValidTypes(CapturedOutput output) {
		assertThatException().isThrownBy(() -> new SpringApplicationBuilder(MinimalConfiguration.class)
			.web(WebApplicationType.NONE)
			.properties("telemetry.metrics.orders.event=shop.checkout.stop", "telemetry.metrics.orders.type=countr")
			.run());
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Property: telemetry.metrics.orders.type")
			.contains("Value: \"countr\"")
			.contains("The following values are valid:")
			.contains("\n    counter\n    distribution\n    last-value\n    sum\n    summary");
	}

	// A real start-up with a metric that lacks its measurement prints the report: the property, why, and the fix.
	@Test
	void missingMeasurementPrintsReport(CapturedOutput output) {
		assertThatException().isThrownBy(() -> new SpringApplicationBuilder(MinimalConfiguration.class)
			.web(WebApplicationType.NONE)
			.properties("telemetry.metrics[shop.total].event=shop.checkout.stop", "telemetry.metrics[shop.total].type=sum")
			.run());
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Metric 'shop.total' in telemetry.metrics is not valid:")
			.contains("Property:  telemetry.metrics[shop.total].measurement")
			.contains("Reason:    a sum needs a measurement")
			.contains("Set telemetry.metrics[shop.total].measurement to the measurement to record")
			.doesNotContain("Application run failed");
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
