package dev.telemetry.metrics;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.telemetry.EventName;
import dev.telemetry.PolledMeasurement;
import dev.telemetry.TelemetryEventBus;
import dev.telemetry.bus.DefaultTelemetryEventBus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class TelemetryPollerTests {

	private final DefaultTelemetryEventBus bus = new DefaultTelemetryEventBus();

	private final List<String> received = new CopyOnWriteArrayList<>();

	// A poll emits JVM memory and thread measurements.
	@Test
	void emitsVmMeasurements() {
		this.bus.attach("test", EventName.parse("telemetry.vm.*"),
				(e, m, md, c) -> this.received.add(e + " " + m.keySet().stream().sorted().toList()), null);
		new TelemetryPoller(this.bus, TelemetryPoller.builtInMeasurements(new DefaultListableBeanFactory()), java.time.Duration.ofSeconds(10)).poll();
		assertThat(this.received).containsExactly(
				"telemetry.vm.memory [heap_committed, heap_max, heap_used, non_heap_used]",
				"telemetry.vm.threads [count, daemon, peak]");
	}

	// With the bus off (telemetry.enabled=false at run time, which Spring AOT's build-time beans keep the
	// poller through), the context does not start it; with the bus on, it does.
	@Test
	void startsOnlyWithTheBusOn() {
		List<PolledMeasurement> none = List.of();
		assertThat(new TelemetryPoller(TelemetryEventBus.NOOP, none, Duration.ofSeconds(10)).isAutoStartup()).isFalse();
		assertThat(new TelemetryPoller(this.bus, none, Duration.ofSeconds(10)).isAutoStartup()).isTrue();
	}

	// A poll emits each ThreadPoolTaskExecutor's queue depth, activity and utilization, tagged with its bean name.
	@Test
	void emitsExecutorQueue() throws Exception {
		ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
		executor.setMaxPoolSize(1);
		this.bus.attach("test", EventName.parse("telemetry.executor.queue"),
				(e, m, md, c) -> this.received.add(md.get("executor") + " depth=" + m.get("queue_depth") + " active="
						+ m.get("active") + " utilization=" + m.get("utilization")),
				null);
		pollWhileBusy(executor, 2);
		assertThat(this.received).containsExactly("workers depth=2 active=1 utilization=1.0");
	}

	// With an unbounded queue (Boot's default) a pool never grows past its core size: utilization is over those
	// threads, with tasks waiting in the queue too.
	@Test
	void utilizationOfAnUnboundedQueueIsOverTheCoreThreads() throws Exception {
		this.bus.attach("test", EventName.parse("telemetry.executor.queue"),
				(e, m, md, c) -> this.received.add("depth=" + m.get("queue_depth") + " utilization="
						+ m.get("utilization")), null);
		pollWhileBusy(new ThreadPoolTaskExecutor(), 1);
		assertThat(this.received).containsExactly("depth=1 utilization=1.0");
	}

	// One poll of the executor, a bean named 'workers', while its one core thread is busy and 'queued' tasks wait.
	private void pollWhileBusy(ThreadPoolTaskExecutor executor, int queued) throws InterruptedException {
		executor.setCorePoolSize(1);
		executor.initialize();
		CountDownLatch release = new CountDownLatch(1);
		CountDownLatch busy = new CountDownLatch(1);
		try {
			executor.execute(() -> {
				busy.countDown();
				await(release);
			});
			busy.await(10, TimeUnit.SECONDS);
			for (int i = 0; i < queued; i++) {
				executor.execute(() -> {
				});
			}
			DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
			beans.registerSingleton("workers", executor);
			new TelemetryPoller(this.bus, TelemetryPoller.builtInMeasurements(beans), Duration.ofSeconds(10)).poll();
		}
		finally {
			release.countDown();
			executor.shutdown();
		}
	}

	// Executors are looked up at each poll, so one made after the first poll is measured, and one not
	// initialized yet is skipped without failing the measurement of the others.
	@Test
	void measuresExecutorsMadeLaterAndSkipsOnesNotInitialized(CapturedOutput output) {
		DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
		this.bus.attach("test", EventName.parse("telemetry.executor.queue"),
				(e, m, md, c) -> this.received.add(md.get("executor") + " pool_size=" + m.get("pool_size")), null);
		TelemetryPoller poller = new TelemetryPoller(this.bus, TelemetryPoller.builtInMeasurements(beans),
				Duration.ofSeconds(10));
		poller.poll();
		ThreadPoolTaskExecutor later = new ThreadPoolTaskExecutor();
		later.initialize();
		try {
			beans.registerSingleton("aNotInitialized", new ThreadPoolTaskExecutor());
			beans.registerSingleton("later", later);
			poller.poll();
			assertThat(this.received).containsExactly("later pool_size=0");
			assertThat(output).doesNotContain("failed");
		}
		finally {
			later.shutdown();
		}
	}

	// A failing measurement is logged once, tried again every poll, and does not stop the others.
	@Test
	void failingMeasurementIsRetried(CapturedOutput output) {
		AtomicInteger attempts = new AtomicInteger();
		AtomicInteger healthy = new AtomicInteger();
		PolledMeasurement failing = (bus) -> {
			attempts.incrementAndGet();
			throw new IllegalStateException("sensor offline");
		};
		PolledMeasurement working = (bus) -> healthy.incrementAndGet();
		TelemetryPoller poller = new TelemetryPoller(this.bus, List.of(failing, working), java.time.Duration.ofSeconds(10));
		for (int i = 0; i < 5; i++) {
			poller.poll();
		}
		assertThat(attempts).hasValue(5);
		assertThat(healthy).hasValue(5);
		assertThat(output.getOut().lines().filter((line) -> line.contains("failed; it is tried again"))).hasSize(1);
	}

	// A period that is not positive is refused, naming the property.
	@Test
	void refusesNonPositivePeriod() {
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
			.isThrownBy(() -> new TelemetryPoller(this.bus, List.of(), java.time.Duration.ZERO))
			.withMessageContaining("telemetry.poller.period");
	}

	// Started, the poller polls at its period on its own thread.
	@Test
	void pollsAtFixedRate() {
		AtomicInteger polls = new AtomicInteger();
		TelemetryPoller poller = new TelemetryPoller(this.bus, List.of((bus) -> polls.incrementAndGet()),
				java.time.Duration.ofMillis(20));
		poller.start();
		try {
			org.awaitility.Awaitility.await().untilAsserted(() -> assertThat(polls.get()).isGreaterThanOrEqualTo(3));
		}
		finally {
			poller.stop();
		}
		assertThat(poller.isRunning()).isFalse();
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
