package dev.telemetry.listener;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import dev.telemetry.EventName;
import dev.telemetry.TelemetryEventBus;
import dev.telemetry.TelemetryListener;
import dev.telemetry.bus.DefaultTelemetryEventBus;
import org.junit.jupiter.api.Test;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class InvalidTelemetryListenerFailureAnalyzerTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withBean(TelemetryEventBus.class, DefaultTelemetryEventBus::new)
		.withUserConfiguration(TelemetryListenerRegistrarTests.RegistrarConfiguration.class);

	// A bad event name is reported with the bean, its class, the method and the name, and how names are written.
	@Test
	void badEventName() {
		FailureAnalysis analysis = analyze("auditListener", BadEventName.class);
		assertThat(analysis.getDescription())
			.startsWith("@TelemetryListener on InvalidTelemetryListenerFailureAnalyzerTests.BadEventName.onStop() of bean"
					+ " 'auditListener' is not valid:")
			.contains("Bean:      'auditListener' (dev.telemetry.listener.InvalidTelemetryListenerFailureAnalyzerTests$BadEventName)")
			.contains("Method:    dev.telemetry.listener.InvalidTelemetryListenerFailureAnalyzerTests$BadEventName.onStop("
					+ "EventName, Map<String, Number>, Map<String, Object>)")
			.contains("Attribute: events = \"shop.**.stop\"")
			.endsWith("Reason:    segment 2 '**' is only allowed as the last segment");
		assertThat(analysis.getAction()).startsWith("Event names are dotted segments of letters, digits, '_' and '-'")
			.contains("a last '**' one or more")
			.endsWith("Fix the events of @TelemetryListener on InvalidTelemetryListenerFailureAnalyzerTests.BadEventName.onStop().");
	}

	// A handler id used twice is reported with both places, and the action says to set another id.
	@Test
	void duplicateId() {
		FailureAnalysis analysis = analyze(
				this.contextRunner.withBean("stats", Stats.class).withBean("moreStats", Stats.class));
		assertThat(analysis.getDescription()).contains("of bean 'moreStats' is not valid:")
			.contains("Attribute: id = \"checkout-stats\"")
			.contains("Reason:    the handler id is already used by the @TelemetryListener of bean 'stats' method onStop()");
		assertThat(analysis.getAction()).startsWith("Give each @TelemetryListener its own id: set @TelemetryListener(id = ...)"
				+ " on InvalidTelemetryListenerFailureAnalyzerTests.Stats.onStop()");
	}

	// A method with the wrong parameters is reported with the parameters it has and those it needs.
	@Test
	void badSignature() {
		FailureAnalysis analysis = analyze("auditListener", BadSignature.class);
		assertThat(analysis.getDescription()).contains("Attribute: parameters = \"(EventName, Map<String, Object>)\"")
			.contains("Reason:    a listener method must take (EventName event, Map<String, Number> measurements,"
					+ " Map<String, Object> metadata)");
		assertThat(analysis.getAction()).startsWith(
				"Change the parameters of InvalidTelemetryListenerFailureAnalyzerTests.BadSignature.onStop() to (EventName event,");
	}

	// A class-level listener that is not a handler has no method line, and the action offers both fixes.
	@Test
	void classNotAHandler() {
		FailureAnalysis analysis = analyze("auditListener", NotAHandler.class);
		assertThat(analysis.getDescription())
			.startsWith("@TelemetryListener on class InvalidTelemetryListenerFailureAnalyzerTests.NotAHandler of bean 'auditListener'")
			.doesNotContain("Method:");
		assertThat(analysis.getAction()).contains("Implement TelemetryHandler in")
			.contains("or put @TelemetryListener on a method");
	}

	private FailureAnalysis analyze(String beanName, Class<?> type) {
		return analyze(this.contextRunner.withBean(beanName, type));
	}

	private FailureAnalysis analyze(ApplicationContextRunner runner) {
		AtomicReference<FailureAnalysis> analysis = new AtomicReference<>();
		runner.run((context) -> {
			assertThat(context).hasFailed();
			analysis.set(new InvalidTelemetryListenerFailureAnalyzer().analyze(context.getStartupFailure()));
		});
		assertThat(analysis.get()).isNotNull();
		return analysis.get();
	}

	static class BadEventName {

		@TelemetryListener(events = { "shop.checkout.stop", "shop.**.stop" })
		void onStop(EventName event, Map<String, Number> measurements, Map<String, Object> metadata) {
		}

	}

	static class Stats {

		@TelemetryListener(events = "shop.checkout.stop", id = "checkout-stats")
		void onStop(EventName event, Map<String, Number> measurements, Map<String, Object> metadata) {
		}

	}

	static class BadSignature {

		@TelemetryListener(events = "shop.checkout.stop")
		void onStop(EventName event, Map<String, Object> metadata) {
		}

	}

	@TelemetryListener(events = "shop.checkout.stop")
	static class NotAHandler {

	}

}
