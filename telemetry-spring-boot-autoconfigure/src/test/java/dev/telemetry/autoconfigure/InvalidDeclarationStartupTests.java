package dev.telemetry.autoconfigure;

import java.util.Map;

import dev.telemetry.EventName;
import dev.telemetry.InvalidTelemetryDeclarationException;
import dev.telemetry.TelemetryEvent;
import dev.telemetry.TelemetryListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

@ExtendWith(OutputCaptureExtension.class)
class InvalidDeclarationStartupTests {

	// A real start-up with SpEL that does not parse stops and prints the analysis: the bean, the method, the
	// expression with where it breaks, and the fix; not a stack trace.
	@Test
	void badExpressionPrintsFailureAnalysis(CapturedOutput output) {
		assertThatException().isThrownBy(() -> run(BadExpressionConfiguration.class))
			.withRootCauseInstanceOf(org.springframework.expression.ParseException.class)
			.havingCause()
			.isInstanceOf(InvalidTelemetryDeclarationException.class);
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Description:")
			.contains("@TelemetryEvent on InvalidDeclarationStartupTests.CheckoutService.checkout() of bean"
					+ " 'checkoutService' is not valid:")
			.contains("Bean:      'checkoutService'")
			.contains("Method:    dev.telemetry.autoconfigure.InvalidDeclarationStartupTests$CheckoutService.checkout(Map<String, Integer>)")
			.contains("Attribute: metadata = \"cart_size=#cart.size(\"")
			.contains("\n        cart_size=#cart.size(\n                            ^\n")
			.contains("Action:")
			.contains("Fix the expression of 'cart_size' in metadata of @TelemetryEvent on"
					+ " InvalidDeclarationStartupTests.CheckoutService.checkout()")
			.doesNotContain("Application run failed");
	}

	// A real start-up with a bad listener event name stops and prints the analysis naming the method and the fix.
	@Test
	void badListenerEventNamePrintsFailureAnalysis(CapturedOutput output) {
		assertThatException().isThrownBy(() -> run(BadListenerConfiguration.class))
			.havingCause()
			.isInstanceOf(InvalidTelemetryDeclarationException.class);
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Description:")
			.contains("@TelemetryListener on InvalidDeclarationStartupTests.AuditListener.onCheckout() of bean"
					+ " 'auditListener' is not valid:")
			.contains("Attribute: events = \"shop checkout.stop\"")
			.contains("Action:")
			.contains("Fix the events of @TelemetryListener on InvalidDeclarationStartupTests.AuditListener.onCheckout().")
			.doesNotContain("Application run failed");
	}

	private static void run(Class<?> configuration) {
		new SpringApplicationBuilder(configuration).web(WebApplicationType.NONE).run();
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ AopAutoConfiguration.class, TelemetryAutoConfiguration.class,
			TelemetryAopAutoConfiguration.class })
	static class BadExpressionConfiguration {

		@Bean
		CheckoutService checkoutService() {
			return new CheckoutService();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(TelemetryAutoConfiguration.class)
	static class BadListenerConfiguration {

		@Bean
		AuditListener auditListener() {
			return new AuditListener();
		}

	}

	static class CheckoutService {

		@TelemetryEvent(value = "shop.checkout", metadata = "cart_size=#cart.size(")
		public void checkout(Map<String, Integer> cart) {
		}

	}

	static class AuditListener {

		@TelemetryListener(events = "shop checkout.stop")
		void onCheckout(EventName event, Map<String, Number> measurements, Map<String, Object> metadata) {
		}

	}

}
