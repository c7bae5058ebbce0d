package dev.telemetry.autoconfigure;

import java.util.List;
import java.util.Map;

import dev.telemetry.AttachedHandler;
import dev.telemetry.EventName;
import dev.telemetry.TelemetryEventBus;
import dev.telemetry.TelemetryHandler;
import dev.telemetry.TelemetryListener;
import dev.telemetry.bus.DefaultTelemetryEventBus;
import dev.telemetry.listener.TelemetryListenerRegistrar;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.aot.AotDetector;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.TypeReference;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.boot.LazyInitializationBeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.SpringProperties;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class TelemetryAutoConfigurationTests {

	private static final EventName STOP = EventName.parse("shop.checkout.stop");

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TelemetryAutoConfiguration.class));

	// A native image finds by name only the classes registered for it: every class the starter looks for with
	// ClassUtils.isPresent is, when it is on the classpath.
	@Test
	void registersTheProbedClassesForNativeImages() {
		RuntimeHints hints = new RuntimeHints();
		new TelemetryAutoConfiguration.ProbedClassesRuntimeHints().registerHints(hints, getClass().getClassLoader());
		for (String type : List.of("reactor.core.publisher.Mono", "io.micrometer.context.ContextSnapshotFactory",
				"jakarta.servlet.http.HttpServletRequest", "io.micrometer.tracing.handler.TracingObservationHandler",
				"io.micrometer.tracing.otel.bridge.OtelTracer", "io.opentelemetry.sdk.common.export.HttpResponse")) {
			// OpenTelemetry's HttpResponse is public from 1.59 on: on Spring Boot 4.0's line it is absent.
			assertThat(RuntimeHintsPredicates.reflection().onType(TypeReference.of(type)).test(hints)).as(type)
				.isEqualTo(ClassUtils.isPresent(type, getClass().getClassLoader()));
		}
		assertThat(RuntimeHintsPredicates.reflection().onType(TypeReference.of("reactor.core.publisher.Mono")))
			.accepts(hints);
	}

	// By default the context has the default bus and attaches @TelemetryListener beans to it.
	@Test
	void providesDefaultBusAndAttachesListeners() {
		this.contextRunner.withBean("listener", FailingListener.class).run((context) -> {
			assertThat(context).hasSingleBean(DefaultTelemetryEventBus.class).hasSingleBean(TelemetryListenerRegistrar.class);
			assertThat(context.getBean(TelemetryEventBus.class).listHandlers()).extracting(AttachedHandler::id)
				.containsExactly("listener#onStop");
		});
	}

	// Under spring.main.lazy-initialization=true, which nothing else would make create them, listener beans
	// stay eager and are attached.
	@Test
	void attachesListenersUnderLazyInitialization() {
		this.contextRunner
			.withInitializer((context) -> context.addBeanFactoryPostProcessor(new LazyInitializationBeanFactoryPostProcessor()))
			.withBean("listener", FailingListener.class)
			.withBean("checkoutHandler", CheckoutHandler.class)
			.run((context) -> assertThat(context.getBean(TelemetryEventBus.class).listHandlers())
				.extracting(AttachedHandler::id)
				.containsExactlyInAnyOrder("listener#onStop", "checkoutHandler"));
	}

	// A listener the application marks lazy itself is attached when something first asks for it.
	@Test
	void attachesALazyListenerWhenFirstAskedFor() {
		this.contextRunner
			.withBean("listener", FailingListener.class, FailingListener::new,
					(definition) -> definition.setLazyInit(true))
			.run((context) -> {
				TelemetryEventBus bus = context.getBean(TelemetryEventBus.class);
				assertThat(bus.listHandlers()).isEmpty();
				context.getBean("listener");
				assertThat(bus.listHandlers()).extracting(AttachedHandler::id).containsExactly("listener#onStop");
			});
	}

	// A bus defined by the user replaces the default one.
	@Test
	void backsOffWhenUserDefinesBus() {
		TelemetryEventBus userBus = new DefaultTelemetryEventBus();
		this.contextRunner.withBean(TelemetryEventBus.class, () -> userBus)
			.withBean("listener", FailingListener.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(TelemetryEventBus.class);
				assertThat(context.getBean(TelemetryEventBus.class)).isSameAs(userBus);
				assertThat(userBus.listHandlers()).hasSize(1);
			});
	}

	// telemetry.enabled=false leaves a no-op bus for injection and attaches nothing.
	@Test
	void disabledLeavesNoopBus() {
		this.contextRunner.withPropertyValues("telemetry.enabled=false")
			.withBean("listener", FailingListener.class)
			.run((context) -> {
				assertThat(context.getBean(TelemetryEventBus.class)).isSameAs(TelemetryEventBus.NOOP);
				assertThat(context).doesNotHaveBean(TelemetryListenerRegistrar.class);
				assertThat(context.getBean(TelemetryEventBus.class).listHandlers()).isEmpty();
			});
	}

	// telemetry.enabled=false is said once at start-up, at INFO; with telemetry on, nothing is said.
	@Test
	void disabledIsSaidOnceAtStartup(CapturedOutput output) {
		this.contextRunner.run((context) -> assertThat(output).doesNotContain("Telemetry is off"));
		this.contextRunner.withPropertyValues("telemetry.enabled=false").run((context) -> {
			assertThat(output.getOut().lines().filter((line) -> line.contains("Telemetry is off"))).singleElement()
				.asString()
				.contains("INFO")
				.contains("telemetry.enabled=false");
		});
	}

	// On Spring AOT's generated bean definitions, the line says that the beans are those of the build.
	@Test
	void disabledUnderSpringAotSaysTheBeansAreThoseOfTheBuild(CapturedOutput output) {
		SpringProperties.setFlag(AotDetector.AOT_ENABLED);
		try {
			this.contextRunner.withPropertyValues("telemetry.enabled=false")
				.run((context) -> assertThat(output).contains("Telemetry is off")
					.contains("unless telemetry.enabled=false was set then too"));
		}
		finally {
			SpringProperties.setProperty(AotDetector.AOT_ENABLED, null);
		}
	}

	// By default a failing listener is detached.
	@Test
	void detachesFailingHandlersByDefault() {
		this.contextRunner.withBean("listener", FailingListener.class).run((context) -> {
			TelemetryEventBus bus = context.getBean(TelemetryEventBus.class);
			bus.execute(STOP, Map.of(), Map.of());
			assertThat(bus.listHandlers()).isEmpty();
		});
	}

	// telemetry.handler-failure=keep keeps a failing listener attached.
	@Test
	void keepPolicyFromProperty() {
		this.contextRunner.withPropertyValues("telemetry.handler-failure=keep")
			.withBean("listener", FailingListener.class)
			.run((context) -> {
				TelemetryEventBus bus = context.getBean(TelemetryEventBus.class);
				bus.execute(STOP, Map.of(), Map.of());
				bus.execute(STOP, Map.of(), Map.of());
				assertThat(bus.listHandlers()).hasSize(1);
				assertThat(context.getBean(FailingListener.class).calls).isEqualTo(2);
			});
	}

	@TelemetryListener(events = "shop.checkout.stop")
	static class CheckoutHandler implements TelemetryHandler {

		@Override
		public void handleEvent(EventName event, Map<String, Number> measurements, Map<String, Object> metadata,
				@Nullable Object config) {
		}

	}

	static class FailingListener {

		int calls;

		@TelemetryListener(events = "shop.checkout.stop")
		void onStop(EventName event, Map<String, Number> measurements, Map<String, Object> metadata) {
			this.calls++;
			throw new IllegalStateException("listener bug");
		}

	}

}
