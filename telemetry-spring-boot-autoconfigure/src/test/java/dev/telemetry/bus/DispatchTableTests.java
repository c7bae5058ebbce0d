package dev.telemetry.bus;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import dev.telemetry.EventName;
import dev.telemetry.bus.DispatchTable.Registration;
import dev.telemetry.bus.DispatchTable.Route;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DispatchTableTests {

	private final AtomicInteger counters = new AtomicInteger();

	private final BusRecorder recorder = new BusRecorder() {

		@Override
		public Counter counter(EventName event) {
			DispatchTableTests.this.counters.incrementAndGet();
			return () -> {
			};
		}

	};

	// A name is resolved once: an equal name built elsewhere finds the same route, with the
	// recorder's counter asked for once.
	@Test
	void equalNameFindsTheCachedRoute() {
		Registration registration = registration("h", "shop.checkout.stop");
		DispatchTable table = table().with(registration);
		Route route = table.route(EventName.parse("shop.checkout.stop"));
		assertThat(route.handlers()).containsExactly(registration);
		assertThat(table.route(EventName.parse("shop.checkout.stop"))).isSameAs(route);
		assertThat(this.counters).hasValue(1);
	}

	// Exact names and patterns reach a name together, in attach order, each handler once.
	@Test
	void resolvesPatternsAndNamesInAttachOrder() {
		Registration exact = registration("exact", "shop.checkout.stop");
		Registration both = new Registration("both",
				List.of(EventName.parse("shop.**"), EventName.parse("shop.*.stop")), (e, m, md, c) -> {
				}, null, new LogRateLimiter(java.time.Duration.ZERO));
		Registration other = registration("other", "shop.payment.stop");
		DispatchTable table = table().with(both).with(other).with(exact);
		assertThat(table.route(EventName.parse("shop.checkout.stop")).handlers()).containsExactly(both, exact);
		assertThat(table.without("both").route(EventName.parse("shop.checkout.stop")).handlers())
			.containsExactly(exact);
	}

	// Past the bound, names are no longer cached but still resolved, each to its own handlers.
	@Test
	void cachesAtMostTheBoundAndResolvesTheRest() {
		Registration registration = registration("h", "shop.*");
		Registration other = registration("o", "shop.n7");
		DispatchTable table = table().with(registration).with(other);
		for (int i = 0; i < DispatchTable.MAX_CACHED_NAMES + 100; i++) {
			EventName name = EventName.parse("shop.n" + i);
			Route route = table.route(name);
			assertThat(route.handlers())
				.containsExactlyElementsOf((i == 7) ? List.of(registration, other) : List.of(registration));
			assertThat(table.route(name) == route).isEqualTo(i < DispatchTable.MAX_CACHED_NAMES);
		}
	}

	// Threads that resolve the same names at once each get the right handlers.
	@Test
	void threadsResolvingAtOnceGetTheRightRoutes() throws Exception {
		Registration registration = registration("h", "shop.*.stop");
		DispatchTable table = table().with(registration);
		ExecutorService threads = Executors.newFixedThreadPool(4);
		try {
			List<Callable<Integer>> tasks = new ArrayList<>();
			for (int t = 0; t < 4; t++) {
				tasks.add(() -> {
					int wrong = 0;
					for (int round = 0; round < 50; round++) {
						for (int i = 0; i < 100; i++) {
							Route route = table.route(EventName.parse("shop.n" + i + ".stop"));
							wrong += (route.handlers().length == 1 && route.handlers()[0] == registration) ? 0 : 1;
							wrong += table.route(EventName.parse("shop.n" + i + ".start")).handlers().length;
						}
					}
					return wrong;
				});
			}
			for (Future<Integer> result : threads.invokeAll(tasks)) {
				assertThat(result.get()).isZero();
			}
		}
		finally {
			threads.shutdownNow();
		}
	}

	private DispatchTable table() {
		return new DispatchTable(Map.of(), this.recorder);
	}

	private static Registration registration(String id, String event) {
		return new Registration(id, List.of(EventName.parse(event)), (e, m, md, c) -> {
		}, null, new LogRateLimiter(java.time.Duration.ZERO));
	}

}
