package dev.telemetry.bus;

import java.time.Duration;
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
import dev.telemetry.TelemetryEventBus;
import dev.telemetry.actuate.BusStatistics;
import dev.telemetry.actuate.TelemetryDescriptor.HandlerDescriptor;
import dev.telemetry.actuate.TelemetryEndpoint;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several threads emit while others attach and detach handlers, with and without a handler that
 * throws on every event.
 */
class ConcurrencyTests {

	private static final EventName STOP = EventName.parse("shop.checkout.stop");

	private static final int EMITTERS = 3;

	private static final int MIN_EVENTS_PER_EMITTER = 20_000;

	private static final int MIN_CHURN_CYCLES = 2_000;

	private final BusStatistics statistics = new BusStatistics(100);

	// Threads execute while others attach and detach: a handler attached throughout sees every event.
	@Test
	void handlerAttachedThroughoutSeesEveryEvent() throws Exception {
		DefaultTelemetryEventBus bus = new DefaultTelemetryEventBus();
		Load load = run(bus, false);
		assertThat(load.churns.get()).isGreaterThanOrEqualTo(MIN_CHURN_CYCLES);
		assertThat(load.seen.sum()).isEqualTo(load.emitted.sum())
			.isGreaterThanOrEqualTo((long) EMITTERS * MIN_EVENTS_PER_EMITTER);
		assertThat(bus.listHandlers()).singleElement().extracting("id").isEqualTo("steady");
	}

	// Under 'detach', no exception reaches a caller, the failing handler is detached once (one failure
	// event, emitted on the same path as the one ERROR), the others see every event.
	@Test
	void failingHandlerUnderLoadIsDetachedOnce() throws Exception {
		DefaultTelemetryEventBus bus = new DefaultTelemetryEventBus(HandlerFailurePolicy.DETACH, Duration.ofMinutes(1),
				TraceSpans.NONE, this.statistics);
		LongAdder failureEvents = new LongAdder();
		bus.attach("failure-events", EventName.parse(TelemetryEventBus.HANDLER_FAILURE_EVENT),
				(e, m, md, c) -> failureEvents.increment(), null);
		Load load = run(bus, true);
		assertThat(load.escaped.sum()).isZero();
		assertThat(load.seen.sum()).isEqualTo(load.emitted.sum());
		assertThat(bus.listHandlers()).extracting("id").containsExactly("failure-events", "steady");
		assertThat(failureEvents.sum()).isEqualTo(1);
		assertThat(handler("failing").state()).isEqualTo("DETACHED");
		assertThat(handler("failing").failures()).isPositive();
	}

	// Under 'keep', no exception reaches a caller, every failure is counted, the others see every event.
	@Test
	void failingHandlerUnderLoadIsKeptAndCounted() throws Exception {
		DefaultTelemetryEventBus bus = new DefaultTelemetryEventBus(HandlerFailurePolicy.KEEP, Duration.ofHours(1),
				TraceSpans.NONE, this.statistics);
		Load load = run(bus, true);
		assertThat(load.escaped.sum()).isZero();
		assertThat(load.seen.sum()).isEqualTo(load.emitted.sum());
		assertThat(load.failingCalls.get()).isEqualTo(load.emitted.sum());
		assertThat(handler("failing").failures()).isEqualTo(load.failingCalls.get());
		assertThat(handler("failing").invocations()).isEqualTo(load.emitted.sum());
		assertThat(handler("steady").invocations()).isEqualTo(load.emitted.sum());
	}

	private HandlerDescriptor handler(String id) {
		return new TelemetryEndpoint(true, this.statistics, null, List::of, null).handler(id);
	}

	/**
	 * Emitters keep emitting until the churner has really churned, so that both overlap.
	 */
	private Load run(DefaultTelemetryEventBus bus, boolean withFailingHandler) throws Exception {
		Load load = new Load();
		bus.attach("steady", EventName.parse("shop.*.stop"), (e, m, md, c) -> load.seen.increment(), null);
		if (withFailingHandler) {
			bus.attach("failing", STOP, (e, m, md, c) -> {
				load.failingCalls.incrementAndGet();
				throw new IllegalStateException("always");
			}, null);
		}
		ExecutorService pool = Executors.newFixedThreadPool(EMITTERS + 1);
		CountDownLatch go = new CountDownLatch(1);
		AtomicBoolean emitting = new AtomicBoolean(true);
		try {
			List<Future<?>> emitters = new ArrayList<>();
			for (int t = 0; t < EMITTERS; t++) {
				emitters.add(pool.submit(() -> {
					go.await();
					for (int i = 0; i < MIN_EVENTS_PER_EMITTER || load.churns.get() < MIN_CHURN_CYCLES; i++) {
						try {
							bus.execute(STOP, Map.of("i", i), Map.of());
						}
						catch (Throwable ex) {
							load.escaped.increment();
						}
						load.emitted.increment();
					}
					return null;
				}));
			}
			Future<?> churner = pool.submit(() -> {
				go.await();
				int n = 0;
				while (emitting.get()) {
					String id = "churn-" + (n++);
					bus.attach(id, (n % 2 == 0) ? STOP : EventName.parse("shop.**"), (e, m, md, c) -> {
					}, null);
					assertThat(bus.detach(id)).isTrue();
					load.churns.incrementAndGet();
				}
				return null;
			});
			go.countDown();
			for (Future<?> emitter : emitters) {
				emitter.get(120, TimeUnit.SECONDS);
			}
			emitting.set(false);
			churner.get(60, TimeUnit.SECONDS);
		}
		finally {
			pool.shutdownNow();
		}
		return load;
	}

	private static final class Load {

		final LongAdder emitted = new LongAdder();

		final LongAdder seen = new LongAdder();

		final LongAdder escaped = new LongAdder();

		final AtomicLong failingCalls = new AtomicLong();

		final AtomicLong churns = new AtomicLong();

	}

}
