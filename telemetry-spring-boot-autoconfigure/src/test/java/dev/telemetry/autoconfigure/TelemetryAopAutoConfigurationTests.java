package dev.telemetry.autoconfigure;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

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
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.resilience.annotation.EnableResilientMethods;
import org.springframework.resilience.annotation.Retryable;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

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

	// The span wraps a @Transactional method's transaction: a commit that fails is the span's exception,
	// whichever of the two advisors is registered first.
	@Test
	void spanWrapsTheTransaction() {
		this.contextRunner.withUserConfiguration(Transactions.class).withBean(TransactionalPaymentService.class).run((context) -> {
			List<String> events = eventNames(context, "shop.payment.*");
			assertThatIllegalStateException().isThrownBy(() -> context.getBean(TransactionalPaymentService.class).charge(42))
				.withMessage("commit failed");
			assertThat(events).containsExactly("shop.payment.start", "shop.payment.exception");
		});
	}

	// A call that @Cacheable serves from the cache is a span too: the advice runs outside the cache's.
	@Test
	void cacheHitIsASpanToo() {
		this.contextRunner.withUserConfiguration(Caching.class).withBean(CachedPriceService.class).run((context) -> {
			List<String> events = eventNames(context, "shop.price.*");
			CachedPriceService prices = context.getBean(CachedPriceService.class);
			assertThat(prices.price("pen")).isEqualTo(prices.price("pen")).isEqualTo(1);
			assertThat(events).containsExactly("shop.price.start", "shop.price.stop", "shop.price.start",
					"shop.price.stop");
			assertThat(prices.computations()).isOne();
		});
	}

	// Spring's @Retryable wraps the advice (its advisor goes before existing ones): each attempt is a span,
	// a failed attempt ends in an exception event.
	@Test
	void retriedCallIsOneSpanPerAttempt() {
		this.contextRunner.withUserConfiguration(Retries.class).withBean(FlakyPaymentService.class).run((context) -> {
			List<String> events = eventNames(context, "shop.payment.*");
			assertThat(context.getBean(FlakyPaymentService.class).charge(42)).isEqualTo(3);
			assertThat(events).containsExactly("shop.payment.start", "shop.payment.exception", "shop.payment.start",
					"shop.payment.exception", "shop.payment.start", "shop.payment.stop");
		});
	}

	// With JDK interface proxies (spring.aop.proxy-target-class=false), a method annotated on the class or on
	// the interface it implements is advised.
	@Test
	void advisesThroughInterfaceProxies() {
		this.contextRunner.withPropertyValues("spring.aop.proxy-target-class=false")
			.withBean(Payments.class, CardPayments::new)
			.run((context) -> {
				Payments payments = context.getBean(Payments.class);
				assertThat(java.lang.reflect.Proxy.isProxyClass(payments.getClass())).isTrue();
				List<String> events = new CopyOnWriteArrayList<>();
				context.getBean(TelemetryEventBus.class)
					.attach("test", EventName.parse("shop.**"), (e, m, md, c) -> events.add(e + " " + md.get("amount")), null);
				payments.charge(42);
				payments.refund(7);
				assertThat(events).containsExactly("shop.payment.start 42", "shop.payment.stop 42",
						"shop.refund.start 7", "shop.refund.stop 7");
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

	// The names of the events matching pattern that the context's bus emits from now on.
	private static List<String> eventNames(ApplicationContext context, String pattern) {
		List<String> events = new CopyOnWriteArrayList<>();
		context.getBean(TelemetryEventBus.class)
			.attach("test", EventName.parse(pattern), (e, m, md, c) -> events.add(e.toString()), null);
		return events;
	}

	// Declared by the application, so its transaction advisor is registered before the starter's.
	@Configuration(proxyBeanMethods = false)
	@EnableTransactionManagement
	static class Transactions {

		@Bean
		PlatformTransactionManager transactionManager() {
			return new AbstractPlatformTransactionManager() {

				@Override
				protected Object doGetTransaction() {
					return new Object();
				}

				@Override
				protected void doBegin(Object transaction, TransactionDefinition definition) {
				}

				@Override
				protected void doCommit(DefaultTransactionStatus status) {
					throw new IllegalStateException("commit failed");
				}

				@Override
				protected void doRollback(DefaultTransactionStatus status) {
				}

			};
		}

	}

	// Declared by the application, so its cache advisor is registered before the starter's.
	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class Caching {

		@Bean
		CacheManager cacheManager() {
			return new ConcurrentMapCacheManager("prices");
		}

	}

	static class CachedPriceService {

		private final AtomicInteger computed = new AtomicInteger();

		@TelemetryEvent("shop.price")
		@Cacheable("prices")
		public int price(String sku) {
			return this.computed.incrementAndGet();
		}

		public int computations() {
			return this.computed.get();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableResilientMethods
	static class Retries {

	}

	static class FlakyPaymentService {

		private final AtomicInteger attempts = new AtomicInteger();

		@TelemetryEvent("shop.payment")
		@Retryable(maxRetries = 2, delay = 0)
		public int charge(int amount) {
			if (this.attempts.incrementAndGet() < 3) {
				throw new IllegalStateException("declined");
			}
			return this.attempts.get();
		}

	}

	interface Payments {

		int charge(int amount);

		@TelemetryEvent(value = "shop.refund", metadata = "amount=#amount")
		int refund(int amount);

	}

	static class CardPayments implements Payments {

		@Override
		@TelemetryEvent(value = "shop.payment", metadata = "amount=#amount")
		public int charge(int amount) {
			return amount;
		}

		@Override
		public int refund(int amount) {
			return -amount;
		}

	}

	static class TransactionalPaymentService {

		@TelemetryEvent("shop.payment")
		@Transactional
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
