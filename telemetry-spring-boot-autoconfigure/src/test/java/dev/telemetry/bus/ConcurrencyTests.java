package dev.telemetry.bus;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import dev.telemetry.EventName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConcurrencyTests {

	private static final EventName STOP = EventName.parse("shop.checkout.stop");

	private static final int EMITTERS = 3;

	private static final int MIN_EVENTS_PER_EMITTER = 20_000;

	private static final int MIN_CHURN_CYCLES = 2_000;

	// Threads execute while others attach and detach: a handler attached throughout sees every event.
	@Test
	void handlerAttachedThroughoutSeesEveryEvent() throws Exception {
		DefaultTelemetryEventBus bus = new DefaultTelemetryEventBus();
		LongAdder seen = new LongAdder();
		LongAdder emitted = new LongAdder();
		AtomicLong churnCycles = new AtomicLong();
		bus.attach("steady", EventName.parse("shop.*.stop"), (e, m, md, c) -> seen.increment(), null);
		ExecutorService pool = Executors.newFixedThreadPool(EMITTERS + 2);
		CountDownLatch go = new CountDownLatch(1);
		AtomicBoolean emitting = new AtomicBoolean(true);
		try {
			List<Future<?>> emitters = new ArrayList<>();
			for (int t = 0; t < EMITTERS; t++) {
				emitters.add(pool.submit(() -> {
					go.await();
					// Emit until the churners have really churned, so that both overlap.
					for (int i = 0; i < MIN_EVENTS_PER_EMITTER || churnCycles.get() < MIN_CHURN_CYCLES; i++) {
						bus.execute(STOP, Map.of("i", i), Map.of());
						emitted.increment();
					}
					return null;
				}));
			}
			List<Future<Integer>> churners = new ArrayList<>();
			for (int t = 0; t < 2; t++) {
				String prefix = "churn-" + t + "-";
				churners.add(pool.submit(() -> {
					go.await();
					int n = 0;
					while (emitting.get()) {
						String id = prefix + (n++);
						bus.attach(id, (n % 2 == 0) ? STOP : EventName.parse("shop.**"), (e, m, md, c) -> {
						}, null);
						assertThat(bus.detach(id)).isTrue();
						churnCycles.incrementAndGet();
					}
					return n;
				}));
			}
			go.countDown();
			for (Future<?> emitter : emitters) {
				emitter.get(120, TimeUnit.SECONDS);
			}
			emitting.set(false);
			for (Future<Integer> churner : churners) {
				churner.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(churnCycles.get()).isGreaterThanOrEqualTo(MIN_CHURN_CYCLES);
		assertThat(seen.sum()).isEqualTo(emitted.sum()).isGreaterThanOrEqualTo((long) EMITTERS * MIN_EVENTS_PER_EMITTER);
		assertThat(bus.listHandlers()).singleElement().extracting("id").isEqualTo("steady");
	}

}
