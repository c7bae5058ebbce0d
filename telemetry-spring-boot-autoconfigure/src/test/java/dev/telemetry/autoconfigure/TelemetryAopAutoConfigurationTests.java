package dev.telemetry.autoconfigure;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.telemetry.EventName;
import dev.telemetry.InvalidTelemetryDeclarationException;
import dev.telemetry.TelemetryEvent;
import dev.telemetry.TelemetryEventBus;
import dev.telemetry.aop.TelemetryEventAdvisor;
import dev.telemetry.aop.TelemetryEventMethods;
import org.aspectj.weaver.Advice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class TelemetryAopAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, TelemetryAutoConfiguration.class,
				TelemetryAopAutoConfiguration.class));

	// With only the auto-configuration, an annotated bean emits its span events.
	@Test
	void annotatedBeanEmitsEvents() {
		this.contextRunner.withBean(PaymentService.class).run((context) -> {
			List<String> events = new CopyOnWriteArrayList<>();
			context.getBean(TelemetryEventBus.class)
				.attach("test", EventName.parse("shop.payment.*"), (e, m, md, c) -> events.add(e + " " + md.get("amount")), null);
			context.getBean(PaymentService.class).charge(42);
			assertThat(events).containsExactly("shop.payment.start 42", "shop.payment.stop 42");
		});
	}

	// An expression that does not parse stops start-up, naming the bean, the method and the expression.
	@Test
	void badExpressionFailsStartup() {
		this.contextRunner.withBean("badService", BadService.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.cause()
				.isInstanceOf(InvalidTelemetryDeclarationException.class)
				.hasMessageContaining("'badService'")
				.hasMessageContaining("BadService.charge()")
				.hasMessageContaining("amount=#amount)("));
	}

	// Annotated methods that a proxy cannot advise are listed in one WARN at start-up.
	@Test
	void warnsAboutUnadvisableMethods(CapturedOutput output) {
		this.contextRunner.withBean(FinalService.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(output).contains("FinalService.charge()").contains("final methods cannot be overridden");
		});
	}

	// telemetry.annotations.enabled=false turns the advice off.
	@Test
	void disabledByProperty() {
		this.contextRunner.withPropertyValues("telemetry.annotations.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(TelemetryEventAdvisor.class));
	}

	// Without AspectJ on the classpath the advice still applies, through Boot's infrastructure
	// auto-proxy creator.
	@Test
	void worksWithoutAspectJ() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(Advice.class))
			.withBean(PaymentService.class)
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(TelemetryEventAdvisor.class);
				assertThat(emittedBy(context.getBean(TelemetryEventBus.class), context.getBean(PaymentService.class)))
					.containsExactly("shop.payment.start 42", "shop.payment.stop 42");
			});
	}

	// Making the advisor early does not make the bus early: no bean misses a post-processor.
	@Test
	void advisorDoesNotMakeTheBusEarly(CapturedOutput output) {
		this.contextRunner.withBean(PaymentService.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(output).doesNotContain("is not eligible for getting processed by all BeanPostProcessors");
		});
	}

	// An advisor of the user's own replaces the starter's.
	@Test
	void backsOffForUserAdvisor() {
		TelemetryEventAdvisor own = new TelemetryEventAdvisor(() -> TelemetryEventBus.NOOP,
				TelemetryEventMethods::new);
		this.contextRunner.withBean("ownAdvisor", TelemetryEventAdvisor.class, () -> own)
			.run((context) -> assertThat(context).getBean(TelemetryEventAdvisor.class).isSameAs(own));
	}

	private static List<String> emittedBy(TelemetryEventBus bus, PaymentService service) {
		List<String> events = new CopyOnWriteArrayList<>();
		bus.attach("test", EventName.parse("shop.payment.*"), (e, m, md, c) -> events.add(e + " " + md.get("amount")),
				null);
		service.charge(42);
		return events;
	}

	// Public: the proxy of the test without AspectJ is defined in another class loader.
	public static class PaymentService {

		@TelemetryEvent(value = "shop.payment", metadata = "amount=#amount")
		public int charge(int amount) {
			return amount;
		}

	}

	static class BadService {

		@TelemetryEvent(value = "shop.payment", metadata = "amount=#amount)(")
		public int charge(int amount) {
			return amount;
		}

	}

	static class FinalService {

		@TelemetryEvent("shop.payment")
		public final int charge(int amount) {
			return amount;
		}

	}

}
