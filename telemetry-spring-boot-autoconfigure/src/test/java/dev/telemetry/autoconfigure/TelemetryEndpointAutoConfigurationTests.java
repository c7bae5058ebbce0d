package dev.telemetry.autoconfigure;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import dev.telemetry.TelemetryEventBus;
import dev.telemetry.actuate.BusStatistics;
import dev.telemetry.actuate.TelemetryDescriptor.EventDescriptor;
import dev.telemetry.actuate.TelemetryEndpoint;
import dev.telemetry.bus.BusRecorder;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.ClassPathResource;

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

	// The bus records what the endpoint shows (with telemetry.endpoint.max-events), and the statistics' clock
	// runs while the context does.
	@Test
	void busRecordsForTheEndpoint() {
		AtomicReference<BusStatistics> statistics = new AtomicReference<>();
		this.contextRunner
			.withPropertyValues("management.endpoints.web.exposure.include=telemetry",
					"telemetry.endpoint.max-events=7")
			.run((context) -> {
				TelemetryEndpoint endpoint = context.getBean(TelemetryEndpoint.class);
				assertThat(endpoint.telemetry().diagnostics().eventCatalog().maxEvents()).isEqualTo(7);
				context.getBean(TelemetryEventBus.class).execute("shop.checkout.stop", Map.of(), Map.of());
				assertThat(endpoint.telemetry().events()).extracting(EventDescriptor::name)
					.containsExactly("shop.checkout.stop");
				statistics.set(context.getBean(BusStatistics.class));
				assertThat(statistics.get().isRunning()).isTrue();
			});
		assertThat(statistics.get().isRunning()).isFalse();
	}

	// Without the endpoint, nothing is recorded.
	@Test
	void recordsNothingWithoutTheEndpoint() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(BusRecorder.class));
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
		TelemetryEndpoint own = new TelemetryEndpoint(true, new BusStatistics(10), null, List::of, null);
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=telemetry")
			.withBean(TelemetryEndpoint.class, () -> own)
			.run((context) -> assertThat(context.getBean(TelemetryEndpoint.class)).isSameAs(own));
	}

	// A native image has the telemetry page the endpoint serves as HTML only if it is registered, where it is.
	@Test
	void registersThePageForNativeImages() {
		RuntimeHints hints = new RuntimeHints();
		new TelemetryEndpointAutoConfiguration.PageRuntimeHints().registerHints(hints, getClass().getClassLoader());
		String page = "dev/telemetry/actuate/dashboard.html";
		assertThat(RuntimeHintsPredicates.resource().forResource(page)).accepts(hints);
		assertThat(new ClassPathResource(page).exists()).isTrue();
	}

}
