package dev.telemetry.benchmarks;

import java.util.concurrent.TimeUnit;

import dev.telemetry.EventName;
import dev.telemetry.TelemetryEventBus;
import dev.telemetry.observation.TelemetryObservationHandler;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * An Observation in Spring Boot's own registry (its tracing and meter handlers, every trace
 * sampled), without the Observation bridge, with it and nobody listening, and with one handler on
 * the Observation's {@code .stop} event; and the same in a registry with no other work, to show
 * the bridge's own cost.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ObservationBridgeBenchmark {

	private static final Runnable WORK = () -> {
	};

	/**
	 * {@code off}: {@code telemetry.observations.enabled=false}; {@code unheard}: the bridge, no
	 * handler on the Observation's events; {@code stop-handler}: one handler on its stop event.
	 */
	@Param({ "off", "unheard", "stop-handler" })
	public String bridge;

	ConfigurableApplicationContext context;

	ObservationRegistry registry;

	/** A registry with one handler that does nothing, and the context's bridge unless off. */
	ObservationRegistry plainRegistry;

	@Setup
	public void setUp(Blackhole blackhole) {
		this.context = new SpringApplicationBuilder(Application.class).web(WebApplicationType.NONE)
			.properties("management.tracing.sampling.probability=1.0", "telemetry.poller.enabled=false",
					"telemetry.observations.enabled=" + !this.bridge.equals("off"), "logging.level.root=warn",
					"spring.main.banner-mode=off")
			.run();
		this.registry = this.context.getBean(ObservationRegistry.class);
		this.plainRegistry = ObservationRegistry.create();
		this.plainRegistry.observationConfig().observationHandler((context) -> true);
		this.context.getBeanProvider(TelemetryObservationHandler.class)
			.ifAvailable(this.plainRegistry.observationConfig()::observationHandler);
		if (this.bridge.equals("stop-handler")) {
			this.context.getBean(TelemetryEventBus.class)
				.attach("bench", EventName.parse("bench.observation.stop"),
						(event, measurements, metadata, config) -> blackhole.consume(measurements.get("duration")),
						null);
		}
	}

	@TearDown
	public void tearDown() {
		this.context.close();
	}

	@Benchmark
	public void observation() {
		Observation.createNotStarted("bench.observation", this.registry)
			.lowCardinalityKeyValue("outcome", "ok")
			.observe(WORK);
	}

	/**
	 * The same Observation in a registry whose only other handler does nothing: the bridge's own
	 * cost, without Boot's tracing and meters around it.
	 */
	@Benchmark
	public void observationInPlainRegistry() {
		Observation.createNotStarted("bench.observation", this.plainRegistry)
			.lowCardinalityKeyValue("outcome", "ok")
			.observe(WORK);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Application {

	}

}
