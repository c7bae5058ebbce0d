package dev.telemetry.metrics;

import java.util.Map;
import java.util.concurrent.ThreadPoolExecutor;

import dev.telemetry.EventName;
import dev.telemetry.PolledMeasurement;
import dev.telemetry.TelemetryEventBus;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * The poller's executor measurements: one {@code telemetry.executor.queue} event per
 * {@code ThreadPoolTaskExecutor} bean, with {@code queue_depth}, {@code active}, {@code pool_size}
 * and {@code utilization} (active threads over the maximum pool size), metadata {@code executor}
 * (the bean name): queue depth and worker utilisation.
 *
 * @author telemetry-spring-boot
 */
final class ExecutorQueueMeasurements implements PolledMeasurement {

	static final EventName QUEUE = EventName.parse("telemetry.executor.queue");

	private final ListableBeanFactory beans;

	private volatile Map<String, ThreadPoolTaskExecutor> executors;

	ExecutorQueueMeasurements(ListableBeanFactory beans) {
		this.beans = beans;
	}

	@Override
	public void measure(TelemetryEventBus bus) {
		Map<String, ThreadPoolTaskExecutor> executors = this.executors;
		if (executors == null) {
			executors = this.beans.getBeansOfType(ThreadPoolTaskExecutor.class, false, false);
			this.executors = executors;
		}
		executors.forEach((name, executor) -> {
			ThreadPoolExecutor pool = executor.getThreadPoolExecutor();
			int active = pool.getActiveCount();
			int max = pool.getMaximumPoolSize();
			bus.execute(QUEUE, Map.of("queue_depth", pool.getQueue().size(), "active", active, "pool_size",
					pool.getPoolSize(), "utilization", (max > 0) ? (double) active / max : 0.0), Map.of("executor", name));
		});
	}

	@Override
	public String toString() {
		return "executor queues";
	}

}
