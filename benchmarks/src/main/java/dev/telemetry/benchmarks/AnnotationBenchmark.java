package dev.telemetry.benchmarks;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.concurrent.TimeUnit;

import dev.telemetry.EventName;
import dev.telemetry.TelemetryEvent;
import dev.telemetry.TelemetryEventBus;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.annotation.Observed;
import org.aspectj.lang.ProceedingJoinPoint;
import org.aspectj.lang.annotation.Around;
import org.aspectj.lang.annotation.Aspect;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import reactor.core.publisher.Mono;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * Annotated methods in a Spring Boot 4.1 application with tracing on (every trace sampled) and
 * Boot's metrics: a proxied call with a no-op advice (the cost of the proxy alone),
 * {@code @TelemetryEvent} without and with a trace span, and {@code @Observed} with Boot's
 * tracing and metrics handlers; and without the proxies, {@code bus.span} with a trace span against
 * an {@code Observation} in Boot's registry (its tracing and meter handlers). For the same work,
 * the telemetry span's stop event also feeds a timer declared in {@code telemetry.metrics}, as
 * {@code @Observed} and the Observation feed their timers.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AnnotationBenchmark {

	ConfigurableApplicationContext context;

	Service service;

	TelemetryEventBus bus;

	ObservationRegistry observations;

	static final EventName SPAN = EventName.parse("bench.span");

	@Setup
	public void setUp() {
		this.context = new SpringApplicationBuilder(Application.class).web(WebApplicationType.NONE)
			.properties("management.tracing.sampling.probability=1.0",
					"management.observations.annotations.enabled=true", "telemetry.poller.enabled=false",
					"telemetry.metrics[bench.span.duration].event=bench.span.stop",
					"telemetry.metrics[bench.span.duration].measurement=duration",
					"telemetry.metrics[bench.span.duration].type=summary",
					"telemetry.metrics[bench.span.duration].unit=nanoseconds", "logging.level.root=warn",
					"spring.main.banner-mode=off")
			.run();
		this.service = this.context.getBean(Service.class);
		this.bus = this.context.getBean(TelemetryEventBus.class);
		this.observations = this.context.getBean(ObservationRegistry.class);
	}

	@TearDown
	public void tearDown() {
		this.context.close();
	}

	@Benchmark
	public Object plainProxiedCall() {
		return this.service.plain("c-1");
	}

	@Benchmark
	public Object telemetryEventWithoutSpan() {
		return this.service.telemetryNoSpan("c-1");
	}

	@Benchmark
	public Object telemetryEventWithSpan() {
		return this.service.telemetrySpan("c-1");
	}

	/**
	 * {@code bus.span} with a trace span, its stop event feeding the declared timer.
	 */
	// A reactive result: the span starts on subscription in the subscriber's Reactor context.
	@Benchmark
	public Object telemetryEventMonoWithSpan() {
		return this.service.telemetryMono("c-1").block();
	}

	@Benchmark
	public Object busSpanWithTraceSpan() {
		return this.bus.span(SPAN, BusBenchmark.METADATA, () -> "charged");
	}

	/**
	 * The peer of {@link #busSpanWithTraceSpan()}: an Observation in Boot's registry, with its
	 * tracing and meter handlers (a span and a timer; the starter turns off the long task timer, as
	 * in any application with it).
	 */
	@Benchmark
	public Object observationInBootRegistry() {
		return Observation.createNotStarted("bench.observation", this.observations)
			.lowCardinalityKeyValue("outcome", "confirmed")
			.observe(() -> "charged");
	}

	@Benchmark
	public Object observed() {
		return this.service.observed("c-1");
	}

	/**
	 * Spring's event for the same information, published in this Boot application's context, which
	 * has Boot's own listeners besides the one listener of this event.
	 */
	@Benchmark
	public void springPublishEventInBootContext() {
		this.context.publishEvent(new BusBenchmark.CheckoutStopped(this, 42L, "confirmed"));
	}

	/**
	 * Marks the method of the no-op advice.
	 */
	@Target(ElementType.METHOD)
	@Retention(RetentionPolicy.RUNTIME)
	public @interface Plain {

	}

	/**
	 * An advice that only proceeds: what any proxied call costs.
	 */
	@Aspect
	public static class PlainAspect {

		@Around("@annotation(dev.telemetry.benchmarks.AnnotationBenchmark.Plain)")
		public Object around(ProceedingJoinPoint joinPoint) throws Throwable {
			return joinPoint.proceed();
		}

	}

	/**
	 * The annotated methods.
	 */
	public static class Service {

		@Plain
		public String plain(String customer) {
			return customer;
		}

		@TelemetryEvent(value = "bench.nospan", span = false)
		public String telemetryNoSpan(String customer) {
			return customer;
		}

		@TelemetryEvent("bench.span")
		public String telemetrySpan(String customer) {
			return customer;
		}

		@TelemetryEvent("bench.mono")
		public Mono<String> telemetryMono(String customer) {
			return Mono.just(customer);
		}

		@Observed(name = "bench.observed")
		public String observed(String customer) {
			return customer;
		}

	}

	/**
	 * One {@code @EventListener} of the published event.
	 */
	public static class CheckoutListener {

		long total;

		@org.springframework.context.event.EventListener
		public void on(BusBenchmark.CheckoutStopped event) {
			this.total += event.duration;
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Application {

		@Bean
		Service service() {
			return new Service();
		}

		@Bean
		PlainAspect plainAspect() {
			return new PlainAspect();
		}

		@Bean
		CheckoutListener checkoutListener() {
			return new CheckoutListener();
		}

	}

}
