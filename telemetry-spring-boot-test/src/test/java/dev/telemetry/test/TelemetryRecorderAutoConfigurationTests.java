package dev.telemetry.test;

import java.util.Map;

import dev.telemetry.TelemetryEventBus;
import dev.telemetry.autoconfigure.TelemetryAutoConfiguration;
import io.opentelemetry.sdk.trace.SpanProcessor;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.context.TestContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

class TelemetryRecorderAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(TelemetryAutoConfiguration.class, TelemetryRecorderAutoConfiguration.class));

	// The recorder bean records every event of the context's bus, and a span processor records spans.
	@Test
	void providesARecorderOfEveryEventAndASpanProcessor() {
		this.runner.run((context) -> {
			TelemetryRecorder recorder = context.getBean(TelemetryRecorder.class);
			context.getBean(TelemetryEventBus.class).execute("shop.checkout.stop", Map.of(), Map.of());
			context.getBean(TelemetryEventBus.class).execute("db.query", Map.of(), Map.of());
			assertThat(recorder.events()).hasSize(2);
			assertThat(context).hasSingleBean(SpanProcessor.class);
		});
	}

	// Closing the context detaches the recorder.
	@Test
	void detachesWhenTheContextCloses() {
		TelemetryEventBus[] bus = new TelemetryEventBus[1];
		this.runner.run((context) -> {
			bus[0] = context.getBean(TelemetryEventBus.class);
			assertThat(bus[0].listHandlers()).hasSize(1);
		});
		assertThat(bus[0].listHandlers()).isEmpty();
	}

	// A recorder of the user's replaces the kit's, and no span is recorded for nothing.
	@Test
	void backsOffWhenUserDefinesARecorder() {
		this.runner.withUserConfiguration(UserRecorder.class).run((context) -> {
			assertThat(context).hasSingleBean(TelemetryRecorder.class).doesNotHaveBean(SpanProcessor.class);
			assertThat(context.getBean(TelemetryEventBus.class).listHandlers()).hasSize(1);
		});
	}

	// Without OpenTelemetry the recorder still records events.
	@Test
	void recordsEventsWithoutOpenTelemetry() {
		this.runner.withClassLoader(new FilteredClassLoader(SpanProcessor.class)).run((context) -> {
			assertThat(context).hasSingleBean(TelemetryRecorder.class).doesNotHaveBean(SpanProcessor.class);
			context.getBean(TelemetryEventBus.class).execute("shop.checkout.stop", Map.of(), Map.of());
			assertThat(context.getBean(TelemetryRecorder.class).events()).hasSize(1);
		});
	}

	// Before each test method, the test execution listener clears the recorder.
	@Test
	void clearedBeforeEachTestMethod() {
		this.runner.run((context) -> {
			context.getBean(TelemetryEventBus.class).execute("shop.checkout.stop", Map.of(), Map.of());
			TestContext testContext = mock(TestContext.class);
			given(testContext.hasApplicationContext()).willReturn(true);
			given(testContext.getApplicationContext()).willReturn(context);
			new TelemetryRecorderTestExecutionListener().beforeTestMethod(testContext);
			assertThat(context.getBean(TelemetryRecorder.class).events()).isEmpty();
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class UserRecorder {

		@Bean
		TelemetryRecorder shopRecorder(TelemetryEventBus bus) {
			return TelemetryRecorder.attach(bus, "shop.**");
		}

	}

}
