package dev.telemetry.metrics;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import dev.telemetry.EventName;
import dev.telemetry.PolledMeasurement;
import dev.telemetry.TelemetryEventBus;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.util.Assert;

/**
 * Takes {@link PolledMeasurement}s at a fixed rate on one daemon thread, from context start to
 * stop. A measurement that throws is logged once (not every period) and tried again each period;
 * its recovery is logged too.
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
public class TelemetryPoller implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(TelemetryPoller.class);

	private static final EventName MEMORY = EventName.parse("telemetry.vm.memory");

	private static final EventName THREADS = EventName.parse("telemetry.vm.threads");

	private static final EventName QUEUE = EventName.parse("telemetry.executor.queue");

	private final TelemetryEventBus bus;

	private final List<PolledMeasurement> measurements;

	private final Duration period;

	private final Set<PolledMeasurement> failing = ConcurrentHashMap.newKeySet();

	private volatile @Nullable ScheduledExecutorService scheduler;

	/**
	 * Create a poller.
	 * @param bus the bus the measurements emit to
	 * @param measurements the measurements
	 * @param period the time between two polls
	 */
	public TelemetryPoller(TelemetryEventBus bus, List<PolledMeasurement> measurements, Duration period) {
		Assert.isTrue(!period.isZero() && !period.isNegative(),
				() -> "telemetry.poller.period must be positive, is " + period + "; set it to e.g. 10s");
		this.bus = bus;
		this.measurements = List.copyOf(measurements);
		this.period = period;
	}

	/**
	 * The measurements the poller always takes, as the README lists them: {@code telemetry.vm.memory},
	 * {@code telemetry.vm.threads}, and {@code telemetry.executor.queue} per {@code ThreadPoolTaskExecutor}.
	 * @param beans where to find the executors
	 * @return the measurements
	 */
	public static List<PolledMeasurement> builtInMeasurements(ListableBeanFactory beans) {
		// The executors are looked up at each poll: one made later is measured too.
		return List.of(new Named("jvm memory and threads", TelemetryPoller::measureVm), new Named("executor queues",
				(bus) -> beans.getBeansOfType(ThreadPoolTaskExecutor.class, false, false)
					.forEach((name, executor) -> measureQueue(bus, name, executor))));
	}

	/** Take every measurement once, now. */
	public void poll() {
		for (PolledMeasurement measurement : this.measurements) {
			try {
				measurement.measure(this.bus);
				if (this.failing.remove(measurement)) {
					logger.info("Telemetry poller measurement '" + measurement + "' works again");
				}
			}
			catch (OutOfMemoryError ex) {
				throw ex;
			}
			catch (Throwable ex) {
				// Anything else is contained: an uncaught throwable would cancel the schedule for good.
				if (this.failing.add(measurement)) {
					logger.warn("Telemetry poller measurement '" + measurement + "' failed; it is tried again every "
							+ this.period + " and this is logged once until it works again", ex);
				}
			}
		}
	}

	/** Not with the bus off: Spring AOT keeps this bean when telemetry.enabled=false is set only at run time. */
	@Override
	public boolean isAutoStartup() {
		return this.bus != TelemetryEventBus.NOOP;
	}

	@Override
	public void start() {
		ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "telemetry-poller");
			thread.setDaemon(true);
			return thread;
		});
		long nanos = this.period.toNanos();
		scheduler.scheduleAtFixedRate(this::poll, nanos, nanos, TimeUnit.NANOSECONDS);
		this.scheduler = scheduler;
	}

	@Override
	public void stop() {
		ScheduledExecutorService scheduler = this.scheduler;
		if (scheduler != null) {
			scheduler.shutdownNow();
		}
		this.scheduler = null;
	}

	@Override
	public boolean isRunning() {
		return this.scheduler != null;
	}

	private static void measureVm(TelemetryEventBus bus) {
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		MemoryUsage heap = memory.getHeapMemoryUsage();
		bus.execute(MEMORY, Map.of("heap_used", heap.getUsed(), "heap_committed", heap.getCommitted(), "heap_max",
				heap.getMax(), "non_heap_used", memory.getNonHeapMemoryUsage().getUsed()), Map.of());
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		bus.execute(THREADS, Map.of("count", threads.getThreadCount(), "daemon", threads.getDaemonThreadCount(), "peak",
				threads.getPeakThreadCount()), Map.of());
	}

	private static void measureQueue(TelemetryEventBus bus, String name, ThreadPoolTaskExecutor executor) {
		ThreadPoolExecutor pool;
		try {
			pool = executor.getThreadPoolExecutor();
		}
		catch (IllegalStateException ex) {
			return; // not initialized yet: no pool to measure, and the other executors still are
		}
		int active = pool.getActiveCount();
		// A pool grows past its core size only when its queue is full: with an unbounded queue (Boot's default), never.
		int max = (executor.getQueueCapacity() == Integer.MAX_VALUE) ? pool.getCorePoolSize()
				: pool.getMaximumPoolSize();
		bus.execute(QUEUE, Map.of("queue_depth", pool.getQueue().size(), "active", active, "pool_size",
				pool.getPoolSize(), "utilization", (max > 0) ? (double) active / max : 0.0), Map.of("executor", name));
	}

	/** A measurement whose name the log shows when it fails. */
	private record Named(String name, PolledMeasurement measurement) implements PolledMeasurement {

		@Override
		public void measure(TelemetryEventBus bus) {
			this.measurement.measure(bus);
		}

		@Override
		public String toString() {
			return this.name;
		}

	}

}
