package dev.telemetry.benchmarks;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.telemetry.EventName;
import dev.telemetry.actuate.BusStatistics;
import dev.telemetry.bus.BusRecorder;
import dev.telemetry.bus.DefaultTelemetryEventBus;
import dev.telemetry.bus.HandlerFailurePolicy;
import dev.telemetry.bus.TraceSpans;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

import org.springframework.context.ApplicationEvent;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.event.EventListener;

/**
 * The bus against the in-process peers, doing the same work: one event to one listener, and one
 * span (start and stop) to one handler.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class BusBenchmark {

	static final EventName STOP = EventName.parse("shop.checkout.stop");

	static final EventName UNHEARD = EventName.parse("shop.cart.viewed");

	static final EventName SPAN = EventName.parse("shop.payment");

	static final Map<String, Long> MEASUREMENTS = Map.of("duration", 42L);

	static final Map<String, String> METADATA = Map.of("outcome", "confirmed");

	/**
	 * The endpoint's statistics, as a context with the endpoint exposed records them: its clock runs.
	 */
	BusStatistics statistics;

	DefaultTelemetryEventBus bus;

	DefaultTelemetryEventBus busWithoutStatistics;

	DefaultTelemetryEventBus tenHandlers;

	DefaultTelemetryEventBus patternBus;

	AnnotationConfigApplicationContext spring;

	ObservationRegistry observations;

	ObservationRegistry timedObservations;

	Blackhole blackhole;

	@Setup
	public void setUp(Blackhole blackhole) {
		this.blackhole = blackhole;
		this.statistics = new BusStatistics(1000);
		this.statistics.start();
		this.bus = new DefaultTelemetryEventBus(HandlerFailurePolicy.DETACH, Duration.ofMinutes(1),
				TraceSpans.NONE, this.statistics);
		this.bus.attach("one", STOP, (e, m, md, c) -> blackhole.consume(m), null);
		this.bus.attachMany("span", java.util.List.of(SPAN.append("start"), SPAN.append("stop")),
				(e, m, md, c) -> blackhole.consume(m), null);
		this.busWithoutStatistics = new DefaultTelemetryEventBus(HandlerFailurePolicy.DETACH, Duration.ofMinutes(1),
				TraceSpans.NONE, BusRecorder.NONE);
		this.busWithoutStatistics.attach("one", STOP, (e, m, md, c) -> blackhole.consume(m), null);
		this.tenHandlers = new DefaultTelemetryEventBus(HandlerFailurePolicy.DETACH, Duration.ofMinutes(1),
				TraceSpans.NONE, this.statistics);
		for (int i = 0; i < 10; i++) {
			this.tenHandlers.attach("h" + i, STOP, (e, m, md, c) -> blackhole.consume(m), null);
		}
		this.patternBus = new DefaultTelemetryEventBus(HandlerFailurePolicy.DETACH, Duration.ofMinutes(1),
				TraceSpans.NONE, this.statistics);
		this.patternBus.attach("pattern", EventName.parse("shop.*.stop"), (e, m, md, c) -> blackhole.consume(m), null);
		this.spring = new AnnotationConfigApplicationContext();
		this.spring.registerBean(Listener.class, () -> new Listener(blackhole));
		this.spring.refresh();
		this.observations = ObservationRegistry.create();
		this.observations.observationConfig().observationHandler(new CountingHandler(blackhole));
		this.timedObservations = ObservationRegistry.create();
		this.timedObservations.observationConfig().observationHandler(new TimingHandler(blackhole));
	}

	@TearDown
	public void tearDown() {
		this.statistics.stop();
		this.spring.close();
	}

	@Benchmark
	public void executeNoHandler() {
		this.bus.execute(UNHEARD, MEASUREMENTS, METADATA);
	}

	@Benchmark
	public void executeOneHandler() {
		this.bus.execute(STOP, MEASUREMENTS, METADATA);
	}

	@Benchmark
	public void executeOneHandlerWithoutStatistics() {
		this.busWithoutStatistics.execute(STOP, MEASUREMENTS, METADATA);
	}

	@Benchmark
	public void executeTenHandlers() {
		this.tenHandlers.execute(STOP, MEASUREMENTS, METADATA);
	}

	@Benchmark
	public void executeThroughPattern() {
		this.patternBus.execute(STOP, MEASUREMENTS, METADATA);
	}

	@Benchmark
	public Object spanOneHandler() {
		return this.bus.span(SPAN, METADATA, () -> "charged");
	}

	@Benchmark
	public void springPublishEventOneListener() {
		this.spring.publishEvent(new CheckoutStopped(this, 42L, "confirmed"));
	}

	/**
	 * Today's idiom: a plain record as the event, which Spring wraps in a PayloadApplicationEvent.
	 */
	@Benchmark
	public void springPublishRecordOneListener() {
		this.spring.publishEvent(new CheckoutCompleted(42L, "confirmed"));
	}

	/**
	 * A plain record event.
	 *
	 * @param duration the duration
	 * @param outcome the outcome
	 */
	public record CheckoutCompleted(long duration, String outcome) {
	}

	@Benchmark
	public Object observationOneHandler() {
		return Observation.createNotStarted("shop.payment", this.observations)
			.lowCardinalityKeyValue("outcome", "confirmed")
			.observe(() -> "charged");
	}

	/**
	 * The same work as the span's: an observation whose one handler also measures its duration.
	 */
	@Benchmark
	public Object observationOneTimingHandler() {
		return Observation.createNotStarted("shop.payment", this.timedObservations)
			.lowCardinalityKeyValue("outcome", "confirmed")
			.observe(() -> "charged");
	}

	/**
	 * The floor of any span that reports a duration: two reads of the monotonic clock.
	 */
	@Benchmark
	public long clockReadsForDuration() {
		long start = System.nanoTime();
		return System.nanoTime() - start;
	}

	/**
	 * The event a Spring user would publish for the same information.
	 */
	public static class CheckoutStopped extends ApplicationEvent {

		final long duration;

		final String outcome;

		CheckoutStopped(Object source, long duration, String outcome) {
			super(source);
			this.duration = duration;
			this.outcome = outcome;
		}

	}

	/**
	 * One {@code @EventListener}.
	 */
	public static class Listener {

		private final Blackhole blackhole;

		Listener(Blackhole blackhole) {
			this.blackhole = blackhole;
		}

		@EventListener
		public void on(CheckoutStopped event) {
			this.blackhole.consume(event.duration);
		}

		@EventListener
		public void on(CheckoutCompleted event) {
			this.blackhole.consume(event.duration());
		}

	}

	/**
	 * One observation handler that looks at start and stop, like the bus handler.
	 */
	static final class CountingHandler implements ObservationHandler<Observation.Context> {

		private final Blackhole blackhole;

		CountingHandler(Blackhole blackhole) {
			this.blackhole = blackhole;
		}

		@Override
		public void onStart(Observation.Context context) {
			this.blackhole.consume(context);
		}

		@Override
		public void onStop(Observation.Context context) {
			this.blackhole.consume(context);
		}

		@Override
		public boolean supportsContext(Observation.Context context) {
			return true;
		}

	}

	/**
	 * One observation handler that measures the duration, as a span's stop event does.
	 */
	static final class TimingHandler implements ObservationHandler<Observation.Context> {

		private final Blackhole blackhole;

		TimingHandler(Blackhole blackhole) {
			this.blackhole = blackhole;
		}

		@Override
		public void onStart(Observation.Context context) {
			context.put(TimingHandler.class, System.nanoTime());
		}

		@Override
		public void onStop(Observation.Context context) {
			long start = context.getRequired(TimingHandler.class);
			this.blackhole.consume(System.nanoTime() - start);
		}

		@Override
		public boolean supportsContext(Observation.Context context) {
			return true;
		}

	}

}
