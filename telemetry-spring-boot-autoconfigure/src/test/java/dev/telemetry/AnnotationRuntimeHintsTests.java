package dev.telemetry;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.annotation.ReflectiveRuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.ReflectionHintsPredicates;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hints Spring AOT registers for {@link TelemetryListener @TelemetryListener} and
 * {@link TelemetryEvent @TelemetryEvent} methods, with the processor it runs on every bean class.
 */
class AnnotationRuntimeHintsTests {

	private final ReflectionHintsPredicates reflection = RuntimeHintsPredicates.reflection();

	// A native image finds and calls a listener method, and reads an annotated method, only if it is registered.
	@Test
	void annotatedMethodsAreRegisteredForInvocation() {
		RuntimeHints hints = new RuntimeHints();
		new ReflectiveRuntimeHintsRegistrar().registerRuntimeHints(hints, Listener.class, Service.class);
		assertThat(this.reflection.onMethodInvocation(Listener.class, "on")).accepts(hints);
		assertThat(this.reflection.onMethodInvocation(Service.class, "work")).accepts(hints);
		assertThat(this.reflection.onMethodInvocation(Service.class, "notAnnotated")).rejects(hints);
	}

	static class Listener {

		@TelemetryListener(events = "shop.checkout.stop")
		void on(EventName event, Map<String, Number> measurements, Map<String, Object> metadata) {
		}

	}

	static class Service {

		@TelemetryEvent("shop.work")
		public void work() {
		}

		public void notAnnotated() {
		}

	}

}
