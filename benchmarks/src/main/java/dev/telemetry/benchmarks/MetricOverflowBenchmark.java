package dev.telemetry.benchmarks;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.telemetry.EventName;
import dev.telemetry.Redaction;
import dev.telemetry.bus.DefaultTelemetryEventBus;
import dev.telemetry.metrics.MetricDefinition;
import dev.telemetry.metrics.TelemetryMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * A metric whose tag is an id, past its {@code max-series}: every event brings a tag value never
 * seen, from two threads at once, as a flood of ids does. What each record costs once the
 * cardinality guard records the new tag sets under the {@code OTHER} series.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(2)
public class MetricOverflowBenchmark {

	static final EventName PLACED = EventName.parse("shop.order.placed");

	static final String[] CUSTOMERS = new String[1 << 16];

	static {
		for (int i = 0; i < CUSTOMERS.length; i++) {
			CUSTOMERS[i] = "customer-" + i;
		}
	}

	final AtomicLong next = new AtomicLong();

	DefaultTelemetryEventBus bus;

	TelemetryMetrics metrics;

	@Setup
	public void setUp() {
		this.bus = new DefaultTelemetryEventBus();
		MetricDefinition orders = new MetricDefinition(PLACED.toString(), null, MetricDefinition.Type.COUNTER,
				MetricDefinition.Unit.NONE,
				List.of("customer"), null, 10);
		this.metrics = new TelemetryMetrics(this.bus, new SimpleMeterRegistry(), Map.of("shop.orders", orders), 10,
				Redaction.defaults());
		this.metrics.afterPropertiesSet();
		for (int i = 0; i < 20; i++) {
			this.bus.execute(PLACED, Map.of(), Map.of("customer", "warm-" + i));
		}
	}

	@TearDown
	public void tearDown() {
		this.metrics.destroy();
	}

	@Benchmark
	public void recordPastMaxSeries() {
		String customer = CUSTOMERS[(int) (this.next.getAndIncrement() & (CUSTOMERS.length - 1))];
		this.bus.execute(PLACED, Map.of(), Map.of("customer", customer));
	}

}
