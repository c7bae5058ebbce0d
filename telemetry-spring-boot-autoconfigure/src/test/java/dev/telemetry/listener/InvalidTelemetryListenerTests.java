package dev.telemetry.listener;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import dev.telemetry.EventName;
import dev.telemetry.InvalidTelemetryDeclarationException;
import dev.telemetry.TelemetryEventBus;
import dev.telemetry.TelemetryListener;
import dev.telemetry.bus.DefaultTelemetryEventBus;
import org.junit.jupiter.api.Test;

import org.springframework.aop.framework.ProxyFactory;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class InvalidTelemetryListenerTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withBean(TelemetryEventBus.class, DefaultTelemetryEventBus::new)
		.withUserConfiguration(TelemetryListenerRegistrarTests.RegistrarConfiguration.class);

	// A bad event name is reported with the bean, its class, the method and the name, and how names are written.
	@Test
	void badEventName() {
		InvalidTelemetryDeclarationException analysis = analyze("auditListener", BadEventName.class);
		assertThat(analysis.getDescription())
			.startsWith("@TelemetryListener on InvalidTelemetryListenerTests.BadEventName.onStop() of bean"
					+ " 'auditListener' is not valid:")
			.contains("Bean:      'auditListener'\n")
			.contains("Method:    dev.telemetry.listener.InvalidTelemetryListenerTests$BadEventName.onStop("
					+ "EventName, Map<String, Number>, Map<String, Object>)")
			.contains("Attribute: events = \"shop.**.stop\"")
			.endsWith("Reason:    segment 2 '**' is only allowed as the last segment");
		assertThat(analysis.getAction()).startsWith("Event names are dotted segments of letters, digits, '_' and '-'")
			.contains("a last '**' one or more")
			.endsWith("Fix the events of @TelemetryListener on InvalidTelemetryListenerTests.BadEventName.onStop().");
	}

	// A handler id used twice is reported with both places, and the action says to set another id.
	@Test
	void duplicateId() {
		InvalidTelemetryDeclarationException analysis = analyze(
				this.contextRunner.withBean("stats", Stats.class).withBean("moreStats", Stats.class));
		assertThat(analysis.getDescription()).contains("of bean 'moreStats' is not valid:")
			.contains("Attribute: id = \"checkout-stats\"")
			.contains("Reason:    the handler id is already used by the @TelemetryListener of bean 'stats' method onStop()");
		assertThat(analysis.getAction()).startsWith("Give each @TelemetryListener its own id: set @TelemetryListener(id = ...)"
				+ " on InvalidTelemetryListenerTests.Stats.onStop()");
	}

	// A method with the wrong parameters is reported with the parameters it has and those it needs.
	@Test
	void badSignature() {
		InvalidTelemetryDeclarationException analysis = analyze("auditListener", BadSignature.class);
		assertThat(analysis.getDescription()).contains("Attribute: parameters = \"(EventName, Map<String, Object>)\"")
			.contains("Reason:    a listener method must take (EventName event, Map<String, Number> measurements,"
					+ " Map<String, Object> metadata)");
		assertThat(analysis.getAction()).startsWith(
				"Change the parameters of InvalidTelemetryListenerTests.BadSignature.onStop() to (EventName event,");
	}

	// A class-level listener that is not a handler names the class instead of a method, and the action offers both fixes.
	@Test
	void classNotAHandler() {
		InvalidTelemetryDeclarationException analysis = analyze("auditListener", NotAHandler.class);
		assertThat(analysis.getDescription())
			.startsWith("@TelemetryListener on class InvalidTelemetryListenerTests.NotAHandler of bean 'auditListener'")
			.contains("Class:     dev.telemetry.listener.InvalidTelemetryListenerTests$NotAHandler")
			.doesNotContain("Method:");
		assertThat(analysis.getAction()).contains("Implement TelemetryHandler in")
			.contains("or put @TelemetryListener on a method");
	}

	// A private listener method of a bean behind a class proxy, which the proxy cannot call, is reported in the
	// same shape as every other mistake, with the fix.
	@Test
	void privateMethodOfAProxiedBean() {
		InvalidTelemetryDeclarationException analysis = analyze(this.contextRunner.withBean("auditListener",
				PrivateListener.class, () -> {
					ProxyFactory factory = new ProxyFactory(new PrivateListener());
					factory.setProxyTargetClass(true);
					return (PrivateListener) factory.getProxy();
				}));
		assertThat(analysis.getDescription())
			.startsWith("@TelemetryListener on InvalidTelemetryListenerTests.PrivateListener.onStop() of bean"
					+ " 'auditListener' is not valid:")
			.contains("Attribute: method = \"onStop()\"")
			.contains("Reason:    the bean is a proxy that cannot call it:");
		assertThat(analysis.getAction())
			.startsWith("Make InvalidTelemetryListenerTests.PrivateListener.onStop() not private");
	}

	private InvalidTelemetryDeclarationException analyze(String beanName, Class<?> type) {
		return analyze(this.contextRunner.withBean(beanName, type));
	}

	private InvalidTelemetryDeclarationException analyze(ApplicationContextRunner runner) {
		AtomicReference<InvalidTelemetryDeclarationException> analysis = new AtomicReference<>();
		runner.run((context) -> analysis.set(TelemetryListenerRegistrarTests.startupFailure(context)));
		return analysis.get();
	}

	static class BadEventName {

		@TelemetryListener(events = { "shop.checkout.stop", "shop.**.stop" })
		void onStop(EventName event, Map<String, Number> measurements, Map<String, Object> metadata) {
		}

	}

	static class PrivateListener {

		@TelemetryListener(events = "shop.checkout.stop")
		private void onStop(EventName event, Map<String, Number> measurements, Map<String, Object> metadata) {
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
