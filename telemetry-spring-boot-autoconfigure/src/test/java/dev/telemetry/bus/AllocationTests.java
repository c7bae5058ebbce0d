package dev.telemetry.bus;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;

import dev.telemetry.EventName;
import dev.telemetry.actuate.BusStatistics;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Allocation by design, counted in bytes by the JVM for the calling thread. Allocation is not
 * time: these counts do not depend on the machine's speed. The JMH benchmarks measure B/op
 * precisely; these tests catch a change that makes every call allocate. The buses count for the
 * endpoint, which must not allocate either.
 */
class AllocationTests {

	private static final EventName STOP = EventName.parse("shop.checkout.stop");

	private static final int CALLS = 200_000;

	private static final Map<String, Long> MEASUREMENTS = Map.of("duration", 42L);

	private static final Map<String, String> METADATA = Map.of("outcome", "ok");

	private final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory
		.getThreadMXBean();

	private final BusStatistics statistics = new BusStatistics(1000);

	private final DefaultTelemetryEventBus bus = new DefaultTelemetryEventBus(
			HandlerFailurePolicy.DETACH, Duration.ofMinutes(1), TraceSpans.NONE, this.statistics);

	// Executing an event nobody listens to allocates nothing, by name or by dotted string.
	@Test
	void executeWithoutHandlerAllocatesNothing() {
		this.bus.attach("other", EventName.parse("db.query"), (e, m, md, c) -> {
		}, null);
		long allocated = allocatedBy(() -> {
			this.bus.execute(STOP, MEASUREMENTS, METADATA);
			this.bus.execute("shop.checkout.stop", MEASUREMENTS, METADATA);
		});
		assertThat(allocated).as("bytes for %d calls", CALLS).isLessThan(CALLS / 10);
	}

	// Executing prebuilt immutable maps to one handler allocates nothing per call, with the
	// endpoint's clock running or not, and without statistics.
	@Test
	void executeWithOneHandlerAndImmutableMapsAllocatesNothing() {
		DefaultTelemetryEventBus withoutStatistics = new DefaultTelemetryEventBus();
		long[] sum = new long[1];
		this.bus.attach("h", STOP, (e, m, md, c) -> sum[0] += m.get("duration").longValue(), null);
		withoutStatistics.attach("h", STOP, (e, m, md, c) -> sum[0] += m.get("duration").longValue(), null);
		long allocated = allocatedBy(() -> this.bus.execute(STOP, MEASUREMENTS, METADATA));
		this.statistics.start();
		try {
			allocated += allocatedBy(() -> this.bus.execute(STOP, MEASUREMENTS, METADATA));
		}
		finally {
			this.statistics.stop();
		}
		allocated += allocatedBy(() -> withoutStatistics.execute(STOP, MEASUREMENTS, METADATA));
		assertThat(sum[0]).isEqualTo(42L * 6 * CALLS);
		assertThat(allocated).as("bytes for %d calls", 3 * CALLS).isLessThan(CALLS / 10);
	}

	private long allocatedBy(Runnable call) {
		for (int i = 0; i < CALLS; i++) {
			call.run();
		}
		long thread = Thread.currentThread().getId();
		long before = this.threads.getThreadAllocatedBytes(thread);
		for (int i = 0; i < CALLS; i++) {
			call.run();
		}
		return this.threads.getThreadAllocatedBytes(thread) - before;
	}

}
