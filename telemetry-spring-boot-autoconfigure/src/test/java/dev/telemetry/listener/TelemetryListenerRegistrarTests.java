package dev.telemetry.listener;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import dev.telemetry.AttachedHandler;
import dev.telemetry.EventName;
import dev.telemetry.InvalidTelemetryDeclarationException;
import dev.telemetry.TelemetryEventBus;
import dev.telemetry.TelemetryHandler;
import dev.telemetry.TelemetryListener;
import dev.telemetry.actuate.BusStatistics;
import dev.telemetry.actuate.TelemetryEndpoint;
import dev.telemetry.bus.BusRecorder;
import dev.telemetry.bus.DefaultTelemetryEventBus;
import dev.telemetry.bus.HandlerFailurePolicy;
import dev.telemetry.bus.TraceSpans;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.FactoryBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.CustomScopeConfigurer;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;
import org.springframework.context.annotation.ScopedProxyMode;
import org.springframework.context.support.SimpleThreadScope;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class TelemetryListenerRegistrarTests {

	private static final EventName STOP = EventName.parse("shop.checkout.stop");

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withBean(TelemetryEventBus.class, DefaultTelemetryEventBus::new)
		.withUserConfiguration(RegistrarConfiguration.class);

	// A @TelemetryListener method is attached under beanName#method and receives its events.
	@Test
	void attachesListenerMethodWithDefaultId() {
		this.contextRunner.withBean("checkoutListener", CheckoutListener.class).run((context) -> {
			TelemetryEventBus bus = context.getBean(TelemetryEventBus.class);
			assertThat(bus.listHandlers()).extracting(AttachedHandler::id, AttachedHandler::eventName)
				.containsExactly(org.assertj.core.groups.Tuple.tuple("checkoutListener#onStop", STOP));
			bus.execute(STOP, Map.of("duration", 5L), Map.of("outcome", "ok"));
			assertThat(context.getBean(CheckoutListener.class).received).containsExactly("shop.checkout.stop 5 ok");
		});
	}

	// A class-level @TelemetryListener on a TelemetryHandler bean attaches the bean under its name.
	@Test
	void attachesHandlerBeanUnderBeanName() {
		this.contextRunner.withBean("auditHandler", AuditHandler.class).run((context) -> {
			TelemetryEventBus bus = context.getBean(TelemetryEventBus.class);
			assertThat(bus.listHandlers()).extracting(AttachedHandler::id).containsExactly("auditHandler", "auditHandler");
			assertThat(bus.listHandlers().get(0).handler()).isSameAs(context.getBean(AuditHandler.class));
			bus.execute(EventName.parse("shop.payment.exception"), Map.of(), Map.of());
			assertThat(context.getBean(AuditHandler.class).received).containsExactly(EventName.parse("shop.payment.exception"));
		});
	}

	// A listener bean created on another thread while the registrar is starting (a lazy bean) is
	// attached: the bean arrives after start() has gone through the known beans but before it has
	// marked itself running. Its name puts it in the first bin of the registrar's map, which the
	// iteration has passed when it arrives.
	@Test
	void attachesBeanCreatedWhileStarting() throws Exception {
		DefaultTelemetryEventBus bus = new DefaultTelemetryEventBus();
		AtomicReference<TelemetryListenerRegistrar> registrar = new AtomicReference<>();
		AtomicReference<Thread> lazy = new AtomicReference<>();
		ObjectProvider<TelemetryEventBus> provider = new ObjectProvider<>() {
			@Override
			public TelemetryEventBus getObject() {
				if (lazy.get() == null) {
					// start() is attaching the known beans: a lazy bean is created meanwhile.
					Thread thread = new Thread(
							() -> registrar.get().postProcessAfterInitialization(new CheckoutListener(), "aLazyListener"));
					lazy.set(thread);
					thread.start();
					try {
						thread.join(300);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
				}
				return bus;
			}
		};
		registrar.set(new TelemetryListenerRegistrar(provider,
				new StaticListableBeanFactory().getBeanProvider(BusRecorder.class)));
		registrar.get().postProcessAfterInitialization(new CheckoutListener(), "checkoutListener");
		registrar.get().start();
		lazy.get().join(10_000);
		assertThat(bus.listHandlers()).extracting(AttachedHandler::id)
			.containsExactlyInAnyOrder("checkoutListener#onStop", "aLazyListener#onStop");
	}

	// The endpoint shows a listener's bean and method as where it comes from, not the registrar's code.
	@Test
	void describesListenersToTheRecorder() {
		BusStatistics statistics = new BusStatistics(100);
		new ApplicationContextRunner().withBean(BusStatistics.class, () -> statistics)
			.withBean(TelemetryEventBus.class, () -> new DefaultTelemetryEventBus(
					HandlerFailurePolicy.DETACH, Duration.ofMinutes(1), TraceSpans.NONE, statistics))
			.withUserConfiguration(RegistrarConfiguration.class)
			.withBean("checkoutListener", CheckoutListener.class)
			.withBean("auditHandler", AuditHandler.class)
			.run((context) -> {
				TelemetryEndpoint endpoint = new TelemetryEndpoint(true, statistics, null, List::of, null);
				assertThat(endpoint.handler("checkoutListener#onStop").source())
					.isEqualTo("bean 'checkoutListener' method onStop()");
				assertThat(endpoint.handler("auditHandler").source()).isEqualTo("bean 'auditHandler'");
			});
	}

	// The annotation's id replaces the default id.
	@Test
	void usesGivenId() {
		this.contextRunner.withBean(NamedListener.class).run((context) -> assertThat(
				context.getBean(TelemetryEventBus.class).listHandlers())
			.extracting(AttachedHandler::id)
			.containsExactly("checkout-stats"));
	}

	// Listeners are detached when the context closes.
	@Test
	void detachesWhenContextCloses() {
		TelemetryEventBus bus = new DefaultTelemetryEventBus();
		new ApplicationContextRunner().withBean(TelemetryEventBus.class, () -> bus)
			.withUserConfiguration(RegistrarConfiguration.class)
			.withBean("checkoutListener", CheckoutListener.class)
			.run((context) -> assertThat(bus.listHandlers()).hasSize(1));
		assertThat(bus.listHandlers()).isEmpty();
	}

	// A prototype listener bean is not attached, with one WARN, and each new instance is made without
	// failing on ids already attached.
	@Test
	void prototypeListenerIsNotAttached(CapturedOutput output) {
		this.contextRunner
			.withBean("checkoutListener", CheckoutListener.class, CheckoutListener::new,
					(definition) -> definition.setScope("prototype"))
			.run((context) -> {
				// Said at start, before anything asks for one.
				assertThat(output).contains("handlers of bean 'checkoutListener' are not attached");
				context.getBean(CheckoutListener.class);
				context.getBean(CheckoutListener.class);
				assertThat(context.getBean(TelemetryEventBus.class).listHandlers()).isEmpty();
				assertThat(output.toString().split("handlers of bean 'checkoutListener' are not attached", -1))
					.hasSize(2);
			});
	}

	// A listener bean of another scope is not attached, neither its instances nor the scoped proxy that
	// reaches them: two live instances would attach the same ids.
	@Test
	void scopedListenerIsNotAttached(CapturedOutput output) {
		this.contextRunner.withUserConfiguration(ThreadScopedListenerConfiguration.class).run((context) -> {
			context.getBean(CheckoutListener.class);
			context.getBean("scopedTarget.checkoutListener");
			assertThat(context.getBean(TelemetryEventBus.class).listHandlers()).isEmpty();
			assertThat(output.toString().split("handlers of bean 'checkoutListener' are not attached", -1))
				.hasSize(2);
		});
	}

	// A listener made by a FactoryBean that makes a new one each time is not attached either.
	@Test
	void listenerMadeAnewByFactoryBeanIsNotAttached() {
		this.contextRunner.withBean("checkoutListener", CheckoutListenerFactory.class).run((context) -> {
			context.getBean(CheckoutListener.class);
			context.getBean(CheckoutListener.class);
			assertThat(context.getBean(TelemetryEventBus.class).listHandlers()).isEmpty();
		});
	}

	// A listener made without a bean definition of its name (createBean) is not attached either.
	@Test
	void listenerMadeWithoutDefinitionIsNotAttached() {
		this.contextRunner.run((context) -> {
			context.getAutowireCapableBeanFactory().createBean(CheckoutListener.class);
			context.getAutowireCapableBeanFactory().createBean(CheckoutListener.class);
			assertThat(context.getBean(TelemetryEventBus.class).listHandlers()).isEmpty();
		});
	}

	// A bad event name stops start-up, naming the bean, the method and the name.
	@Test
	void badEventNameFailsStartup() {
		this.contextRunner.withBean("badListener", BadNameListener.class).run((context) -> {
			InvalidTelemetryDeclarationException ex = startupFailure(context);
			assertThat(ex).hasMessageContaining("BadNameListener.onStop() of bean 'badListener'")
				.hasMessageContaining("events = \"shop..stop\"")
				.hasMessageContaining("segment 2 is empty");
			assertThat(ex.getDescription()).containsPattern("Method:    \\S+\\.onStop\\(");
			assertThat(ex.getDescription()).contains("Attribute: events = ");
			assertThat(ex.getDescription()).contains(" = \"shop..stop\"");
		});
	}

	// A listener method with the wrong parameters stops start-up, saying which ones it needs.
	@Test
	void wrongSignatureFailsStartup() {
		this.contextRunner.withBean("wrongListener", WrongSignatureListener.class).run((context) -> {
			InvalidTelemetryDeclarationException ex = startupFailure(context);
			assertThat(ex).hasMessageContaining("WrongSignatureListener.onStop() of bean 'wrongListener'")
				.hasMessageContaining("(EventName event, Map<String, Number> measurements, Map<String, Object> metadata)");
			assertThat(ex.getDescription()).contains("Attribute: parameters = ");
			assertThat(ex.getDescription()).contains(" = \"(String)\"");
		});
	}

	// A class-level @TelemetryListener on a bean that is not a TelemetryHandler stops start-up.
	@Test
	void annotatedClassMustBeHandler() {
		this.contextRunner.withBean("notAHandler", NotAHandler.class).run((context) -> {
			InvalidTelemetryDeclarationException ex = startupFailure(context);
			assertThat(ex).hasMessageContaining("'notAHandler'").hasMessageContaining("does not implement TelemetryHandler");
			assertThat(ex.getDescription()).doesNotContain("Method:").contains("Class:     " + NotAHandler.class.getName());
		});
	}

	// Two beans that claim the same handler id stop start-up, naming both.
	@Test
	void duplicateIdsAcrossBeansFailStartup() {
		this.contextRunner.withBean("first", NamedListener.class)
			.withBean("second", NamedListener.class)
			.run((context) -> {
				InvalidTelemetryDeclarationException ex = startupFailure(context);
				assertThat(ex).hasMessageContaining("id = \"checkout-stats\"").hasMessageContaining("of bean 'first' method onStop()");
				assertThat(ex.getDescription()).contains("Bean:      'second'");
			});
	}

	// Two listener methods of one bean with the same id stop start-up, naming the bean and both methods.
	@Test
	void duplicateIdsInOneBeanFailStartup() {
		this.contextRunner.withBean("twice", TwiceListener.class).run((context) -> {
			InvalidTelemetryDeclarationException ex = startupFailure(context);
			assertThat(ex).hasMessageContaining("id = \"dup\"").hasMessageContaining("of bean 'twice'");
			assertThat(ex.getMessage()).containsAnyOf("TwiceListener.one()", "TwiceListener.two()")
				.containsAnyOf("bean 'twice' method one()", "bean 'twice' method two()");
		});
	}

	// A @TelemetryListener with no events stops start-up.
	@Test
	void noEventsFailsStartup() {
		this.contextRunner.withBean("silent", NoEventsListener.class).run((context) -> {
			InvalidTelemetryDeclarationException ex = startupFailure(context);
			assertThat(ex.getDescription()).contains("Attribute: events = ");
			assertThat(ex.getDescription()).contains("Reason:    no event is listed");
		});
	}

	// A method whose maps take wildcards, as Kotlin compiles Map<String, Number>, is a listener too.
	@Test
	void acceptsWildcardMaps() {
		this.contextRunner.withBean("wildcards", WildcardListener.class).run((context) -> {
			context.getBean(TelemetryEventBus.class).execute(STOP, Map.of("duration", 5L), Map.of("outcome", "ok"));
			assertThat(context.getBean(WildcardListener.class).received).containsExactly("5 ok");
		});
	}

	// A checked exception that a listener method throws is its failure as it is, not a reflection wrapper.
	@Test
	void checkedExceptionIsTheFailure() {
		this.contextRunner.withBean("throwing", ThrowingListener.class).run((context) -> {
			TelemetryEventBus bus = context.getBean(TelemetryEventBus.class);
			List<Object> failures = new CopyOnWriteArrayList<>();
			bus.attach("failures", EventName.parse(TelemetryEventBus.HANDLER_FAILURE_EVENT),
					(event, measurements, metadata, config) -> failures.add(metadata.get("kind") + ": "
							+ metadata.get("reason")),
					null);
			bus.execute(STOP, Map.of(), Map.of());
			assertThat(failures).containsExactly("java.io.IOException: disk full");
		});
	}

	// A handler that other code attached under a listener's id stays attached: the start fails on the id, and
	// the registrar detaches only what it attached itself.
	@Test
	void leavesAHandlerItDidNotAttach() {
		DefaultTelemetryEventBus bus = new DefaultTelemetryEventBus();
		bus.attach("checkoutListener#onStop", STOP, (event, measurements, metadata, config) -> {
		}, null);
		new ApplicationContextRunner().withBean(TelemetryEventBus.class, () -> bus)
			.withUserConfiguration(RegistrarConfiguration.class)
			.withBean("checkoutListener", CheckoutListener.class)
			.run((context) -> assertThat(context).hasFailed());
		assertThat(bus.listHandlers()).extracting(AttachedHandler::id).containsExactly("checkoutListener#onStop");
	}

	static InvalidTelemetryDeclarationException startupFailure(AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		Throwable failure = context.getStartupFailure();
		while (failure != null && !(failure instanceof InvalidTelemetryDeclarationException)) {
			failure = failure.getCause();
		}
		assertThat(failure).as("an InvalidTelemetryDeclarationException in %s", context.getStartupFailure())
			.isInstanceOf(InvalidTelemetryDeclarationException.class);
		return (InvalidTelemetryDeclarationException) failure;
	}

	static class TwiceListener {

		@TelemetryListener(events = "shop.checkout.stop", id = "dup")
		void one(EventName event, Map<String, Number> measurements, Map<String, Object> metadata) {
		}

		@TelemetryListener(events = "shop.checkout.start", id = "dup")
		void two(EventName event, Map<String, Number> measurements, Map<String, Object> metadata) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class RegistrarConfiguration {

		@Bean
		static TelemetryListenerRegistrar telemetryListenerRegistrar(ObjectProvider<TelemetryEventBus> bus,
				ObjectProvider<BusRecorder> recorder) {
			return new TelemetryListenerRegistrar(bus, recorder);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ThreadScopedListenerConfiguration {

		@Bean
		static CustomScopeConfigurer threadScope() {
			CustomScopeConfigurer configurer = new CustomScopeConfigurer();
			configurer.addScope("thread", new SimpleThreadScope());
			return configurer;
		}

		@Bean
		@Scope(scopeName = "thread", proxyMode = ScopedProxyMode.TARGET_CLASS)
		CheckoutListener checkoutListener() {
			return new CheckoutListener();
		}

	}

	static class CheckoutListenerFactory implements FactoryBean<CheckoutListener> {

		@Override
		public CheckoutListener getObject() {
			return new CheckoutListener();
		}

		@Override
		public Class<?> getObjectType() {
			return CheckoutListener.class;
		}

		@Override
		public boolean isSingleton() {
			return false;
		}

	}

	static class WildcardListener {

		final List<String> received = new CopyOnWriteArrayList<>();

		@TelemetryListener(events = "shop.checkout.stop")
		void onStop(EventName event, Map<String, ? extends Number> measurements, Map<String, ?> metadata) {
			this.received.add(measurements.get("duration") + " " + metadata.get("outcome"));
		}

	}

	static class ThrowingListener {

		@TelemetryListener(events = "shop.checkout.stop")
		void onStop(EventName event, Map<String, Number> measurements, Map<String, Object> metadata)
				throws IOException {
			throw new IOException("disk full");
		}

	}

	static class CheckoutListener {

		final List<String> received = new CopyOnWriteArrayList<>();

		@TelemetryListener(events = "shop.checkout.stop")
		void onStop(EventName event, Map<String, Number> measurements, Map<String, Object> metadata) {
			this.received.add(event + " " + measurements.get("duration") + " " + metadata.get("outcome"));
		}

	}

	@TelemetryListener(events = { "shop.*.exception", "shop.checkout.stop" })
	static class AuditHandler implements TelemetryHandler {

		final List<EventName> received = new CopyOnWriteArrayList<>();

		@Override
		public void handleEvent(EventName event, Map<String, Number> measurements, Map<String, Object> metadata,
				@Nullable Object config) {
			this.received.add(event);
		}

	}

	static class NamedListener {

		@TelemetryListener(events = "shop.checkout.stop", id = "checkout-stats")
		void onStop(EventName event, Map<String, Number> measurements, Map<String, Object> metadata) {
		}

	}

	static class BadNameListener {

		@TelemetryListener(events = "shop..stop")
		void onStop(EventName event, Map<String, Number> measurements, Map<String, Object> metadata) {
		}

	}

	static class WrongSignatureListener {

		@TelemetryListener(events = "shop.checkout.stop")
		void onStop(String event) {
		}

	}

	static class NoEventsListener {

		@TelemetryListener(events = {})
		void onStop(EventName event, Map<String, Number> measurements, Map<String, Object> metadata) {
		}

	}

	@TelemetryListener(events = "shop.checkout.stop")
	static class NotAHandler {

	}

}
