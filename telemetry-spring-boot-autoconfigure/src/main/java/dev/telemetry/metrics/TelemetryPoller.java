package dev.telemetry.metrics;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.telemetry.PolledMeasurement;
import dev.telemetry.TelemetryEventBus;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.context.SmartLifecycle;

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

	private final TelemetryEventBus bus;

	private final List<PolledMeasurement> measurements;

	private final Duration period;

	private final Map<PolledMeasurement, Boolean> failing = new ConcurrentHashMap<>();

	private volatile @Nullable ScheduledExecutorService scheduler;

	/**
	 * Create a poller.
	 * @param bus the bus the measurements emit to
	 * @param measurements the measurements
	 * @param period the time between two polls
	 */
	public TelemetryPoller(TelemetryEventBus bus, List<PolledMeasurement> measurements, Duration period) {
		if (period.isZero() || period.isNegative()) {
			throw new IllegalArgumentException(
					"telemetry.poller.period must be positive, is " + period + "; set it to e.g. 10s");
		}
		this.bus = bus;
		this.measurements = List.copyOf(measurements);
		this.period = period;
	}

	/**
	 * The measurements the poller always takes: JVM memory and threads, and the queue of every
	 * {@code ThreadPoolTaskExecutor} bean.
	 * @param beans where to find the executors
	 * @return the measurements
	 */
	public static List<PolledMeasurement> builtInMeasurements(ListableBeanFactory beans) {
		return List.of(new VmMeasurements(), new ExecutorQueueMeasurements(beans));
	}

	/**
	 * Take every measurement once, now.
	 */
	public void poll() {
		for (PolledMeasurement measurement : this.measurements) {
			try {
				measurement.measure(this.bus);
				if (this.failing.remove(measurement) != null) {
					logger.info("Telemetry poller measurement '" + measurement + "' works again");
				}
			}
			catch (OutOfMemoryError ex) {
				throw ex;
			}
			catch (Throwable ex) {
				// Anything else is contained: an uncaught throwable would cancel the schedule for good.
				if (this.failing.putIfAbsent(measurement, Boolean.TRUE) == null) {
					logger.warn("Telemetry poller measurement '" + measurement + "' failed; it is tried again every "
							+ this.period + " and this is logged once until it works again", ex);
				}
			}
		}
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

}
