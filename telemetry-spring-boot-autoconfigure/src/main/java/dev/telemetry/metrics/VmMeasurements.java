package dev.telemetry.metrics;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadMXBean;
import java.util.Map;

import dev.telemetry.EventName;
import dev.telemetry.PolledMeasurement;
import dev.telemetry.TelemetryEventBus;

/**
 * The poller's JVM measurements: {@code telemetry.vm.memory} (bytes: {@code heap_used},
 * {@code heap_committed}, {@code heap_max}, {@code non_heap_used}) and {@code telemetry.vm.threads}
 * ({@code count}, {@code daemon}, {@code peak}).
 *
 * @author telemetry-spring-boot
 */
final class VmMeasurements implements PolledMeasurement {

	static final EventName MEMORY = EventName.parse("telemetry.vm.memory");

	static final EventName THREADS = EventName.parse("telemetry.vm.threads");

	private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

	private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

	@Override
	public void measure(TelemetryEventBus bus) {
		MemoryUsage heap = this.memory.getHeapMemoryUsage();
		bus.execute(MEMORY, Map.of("heap_used", heap.getUsed(), "heap_committed", heap.getCommitted(), "heap_max",
				heap.getMax(), "non_heap_used", this.memory.getNonHeapMemoryUsage().getUsed()), Map.of());
		bus.execute(THREADS, Map.of("count", this.threads.getThreadCount(), "daemon",
				this.threads.getDaemonThreadCount(), "peak", this.threads.getPeakThreadCount()), Map.of());
	}

	@Override
	public String toString() {
		return "jvm memory and threads";
	}

}
