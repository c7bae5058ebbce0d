package dev.telemetry.autoconfigure;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.telemetry.EventName;
import dev.telemetry.TelemetryEventBus;
import dev.telemetry.observation.RequestObservationPredicate;
import dev.telemetry.observation.TelemetryObservationHandler;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TelemetryObservationAutoConfiguration}.
 */
class TelemetryObservationAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(ObservationAutoConfiguration.class, TelemetryAutoConfiguration.class,
					TelemetryObservationAutoConfiguration.class));

	// Boot registers the bridge with its registry: an Observation reaches a handler on the bus.
	@Test
	void observationsOfBootsRegistryReachTheBus() {
		this.contextRunner.run((context) -> {
			List<String> events = new CopyOnWriteArrayList<>();
			context.getBean(TelemetryEventBus.class)
				.attach("test", EventName.parse("shop.lookup.*"), (e, m, md, c) -> events.add(e.toString()), null);
			Observation.createNotStarted("shop.lookup", context.getBean(ObservationRegistry.class)).observe(() -> {
			});
			assertThat(events).containsExactly("shop.lookup.start", "shop.lookup.stop");
		});
	}

	// The bridge's properties reach it: an excluded name and those under it stay off the bus, and
	// high-cardinality key values come with the stop event, redacted by telemetry.redaction.keys.
	@Test
	void excludeHighCardinalityAndRedactionKeysReachTheBridge() {
		this.contextRunner
			.withPropertyValues("telemetry.observations.exclude=shop.lookup",
					"telemetry.observations.high-cardinality=true", "telemetry.redaction.keys=ssn")
			.run((context) -> {
				List<String> events = new CopyOnWriteArrayList<>();
				context.getBean(TelemetryEventBus.class)
					.attach("test", EventName.parse("shop.**"),
							(e, m, md, c) -> events.add(e + " " + md.get("customer_ssn") + " " + md.get("sku")), null);
				ObservationRegistry registry = context.getBean(ObservationRegistry.class);
				Observation.createNotStarted("shop.lookup.cache", registry).observe(() -> {
				});
				Observation.createNotStarted("shop.order", registry)
					.highCardinalityKeyValue("customer_ssn", "123-45-6789")
					.highCardinalityKeyValue("sku", "pen")
					.observe(() -> {
					});
				assertThat(events).containsExactly("shop.order.start [REDACTED] pen", "shop.order.stop [REDACTED] pen");
			});
	}

	@Test
	void offWithItsPropertyOrWithTelemetry() {
		this.contextRunner.withPropertyValues("telemetry.observations.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(TelemetryObservationHandler.class));
		this.contextRunner.withPropertyValues("telemetry.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(TelemetryObservationHandler.class));
	}

	// In a servlet application, actuator and static resource requests are not observed unless asked.
	@Test
	void actuatorAndStaticResourceRequestsAreNotObservedByDefault() {
		WebApplicationContextRunner web = new WebApplicationContextRunner().withConfiguration(
				AutoConfigurations.of(ObservationAutoConfiguration.class, TelemetryAutoConfiguration.class,
						TelemetryObservationAutoConfiguration.class));
		web.run((context) -> {
			ObservationRegistry registry = context.getBean(ObservationRegistry.class);
			assertThat(observed(registry, "/orders/42")).isTrue();
			assertThat(observed(registry, "/actuator/health")).isFalse();
			assertThat(observed(registry, "/actuator")).isFalse();
			assertThat(observed(registry, "/actuatorial")).isTrue();
			assertThat(observed(registry, "/css/site.css")).isFalse();
			assertThat(observed(registry, "/webjars/bootstrap/bootstrap.min.js")).isFalse();
			assertThat(observed(registry, "/favicon.ico")).isFalse();
			assertThat(observed(registry, "/orders.v2/42")).isTrue();
		});
		for (String basePath : List.of("/manage", "/manage/")) {
			web.withPropertyValues("management.endpoints.web.base-path=" + basePath).run((context) -> {
				ObservationRegistry registry = context.getBean(ObservationRegistry.class);
				assertThat(observed(registry, "/manage/health")).isFalse();
				assertThat(observed(registry, "/manage")).isFalse();
				assertThat(observed(registry, "/actuator/health")).isTrue();
			});
		}
		// Under a servlet path, actuator endpoints are under it too.
		web.withPropertyValues("spring.mvc.servlet.path=/api/").run((context) -> {
			ObservationRegistry registry = context.getBean(ObservationRegistry.class);
			assertThat(observed(registry, "/api/actuator/health")).isFalse();
			assertThat(observed(registry, "/api/orders/42")).isTrue();
		});
		// Not in a reactive application, whose paths are within the application already (WebFlux is not on this
		// module's test classpath: the bean is made by hand, in a context that is not a servlet one).
		MockEnvironment environment = new MockEnvironment().withProperty("spring.mvc.servlet.path", "/api");
		RequestObservationPredicate reactive = new TelemetryObservationAutoConfiguration()
			.telemetryRequestObservationPredicate(environment, new TelemetryProperties(), new GenericApplicationContext());
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/actuator/health"));
		assertThat(reactive.test("http.server.requests",
				new org.springframework.http.server.reactive.observation.ServerRequestObservationContext(
						exchange.getRequest(), exchange.getResponse(), exchange.getAttributes())))
			.isFalse();
		web.withPropertyValues("telemetry.observations.observe-actuator=true",
				"telemetry.observations.observe-static-resources=true")
			.run((context) -> {
				ObservationRegistry registry = context.getBean(ObservationRegistry.class);
				assertThat(observed(registry, "/actuator/health")).isTrue();
				assertThat(observed(registry, "/css/site.css")).isTrue();
			});
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(RequestObservationPredicate.class));
	}

	// An Observation made while serving an actuator request (Spring Security's filter chain, a health check's
	// query) is not observed either: under the request's no-op Observation it would start a trace of its own.
	@Test
	void observationsInsideAnActuatorRequestAreNotObserved() {
		new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class,
					TelemetryAutoConfiguration.class, TelemetryObservationAutoConfiguration.class))
			.run((context) -> {
				ObservationRegistry registry = context.getBean(ObservationRegistry.class);
				assertThat(observedInside(registry, "/actuator/health", true)).isFalse();
				// Under a no-op parent outside any request, it is left to the other predicates.
				assertThat(observedInside(registry, "/actuator/health", false)).isTrue();
				// So it is inside a request some other predicate left unobserved, for a path that is observed.
				registry.observationConfig()
					.observationPredicate((name, observed) -> !(observed instanceof ServerRequestObservationContext));
				assertThat(observedInside(registry, "/orders/42", true)).isTrue();
				assertThat(observedInside(registry, "/actuator/health", true)).isFalse();
			});
	}

	// What Spring's ServerHttpObservationFilter does around the filter chain, and then an Observation inside it.
	private static boolean observedInside(ObservationRegistry registry, String path, boolean inRequest) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/app" + path);
		request.setContextPath("/app");
		Observation server = Observation.createNotStarted("http.server.requests",
				() -> new ServerRequestObservationContext(request, new MockHttpServletResponse()), registry);
		if (inRequest) {
			RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(request));
		}
		try (Observation.Scope scope = server.openScope()) {
			return !Observation.createNotStarted("spring.security.filterchains", registry).isNoop();
		}
		finally {
			RequestContextHolder.resetRequestAttributes();
		}
	}

	private static boolean observed(ObservationRegistry registry, String path) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/app" + path);
		request.setContextPath("/app");
		ServerRequestObservationContext context = new ServerRequestObservationContext(request,
				new MockHttpServletResponse());
		return !Observation.createNotStarted("http.server.requests", () -> context, registry).isNoop();
	}

}
