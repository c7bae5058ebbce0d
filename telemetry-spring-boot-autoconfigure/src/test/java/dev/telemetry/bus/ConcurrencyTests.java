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
import java.util.concurrent.atomic.LongAdder;

import dev.telemetry.EventName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConcurrencyTests {

	private static final EventName STOP = EventName.parse("shop.checkout.stop");

	private static final int EMITTERS = 4;

	private static final int EVENTS_PER_EMITTER = 20_000;

	// Threads execute while others attach and detach: a handler attached throughout sees every event.
	@Test
	void handlerAttachedThroughoutSeesEveryEvent() throws Exception {
		DefaultTelemetryEventBus bus = new DefaultTelemetryEventBus();
		LongAdder seen = new LongAdder();
		bus.attach("steady", EventName.parse("shop.*.stop"), (e, m, md, c) -> seen.increment(), null);
		ExecutorService pool = Executors.newFixedThreadPool(EMITTERS + 2);
		CountDownLatch go = new CountDownLatch(1);
		AtomicBoolean emitting = new AtomicBoolean(true);
		try {
			List<Future<?>> emitters = new ArrayList<>();
			for (int t = 0; t < EMITTERS; t++) {
				emitters.add(pool.submit(() -> {
					go.await();
					for (int i = 0; i < EVENTS_PER_EMITTER; i++) {
						bus.execute(STOP, Map.of("i", i), Map.of());
					}
					return null;
				}));
			}
			List<Future<?>> churners = new ArrayList<>();
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
					}
					return n;
				}));
			}
			go.countDown();
			for (Future<?> emitter : emitters) {
				emitter.get(60, TimeUnit.SECONDS);
			}
			emitting.set(false);
			for (Future<?> churner : churners) {
				assertThat((Integer) churner.get(60, TimeUnit.SECONDS)).isPositive();
			}
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(seen.sum()).isEqualTo((long) EMITTERS * EVENTS_PER_EMITTER);
		assertThat(bus.listHandlers()).singleElement().extracting("id").isEqualTo("steady");
	}

}
