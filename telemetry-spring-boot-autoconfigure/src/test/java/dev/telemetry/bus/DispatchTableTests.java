package dev.telemetry.bus;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.telemetry.EventName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DispatchTableTests {

	private final EventCatalog catalog = new EventCatalog(1000);

	// A name is resolved once: an equal name built elsewhere finds the same route.
	@Test
	void equalNameFindsTheCachedRoute() {
		HandlerRegistration registration = registration("h", "shop.checkout.stop");
		DispatchTable table = DispatchTable.empty(16, this.catalog).with(registration);
		DispatchTable.Route route = table.route(EventName.parse("shop.checkout.stop"));
		assertThat(route.handlers()).containsExactly(registration);
		assertThat(table.route(EventName.parse("shop.checkout.stop"))).isSameAs(route);
		assertThat(table.cachedRoutes()).isEqualTo(1);
	}

	// Names whose hashes collide ("Aa" and "BB") share a slot: each still gets its own handlers.
	@Test
	void collidingNamesKeepTheirOwnRoutes() {
		EventName aa = EventName.parse("Aa");
		EventName bb = EventName.parse("BB");
		assertThat(aa.hashCode()).isEqualTo(bb.hashCode());
		HandlerRegistration registration = registration("h", "BB");
		DispatchTable table = DispatchTable.empty(16, this.catalog).with(registration);
		assertThat(table.route(aa).handlers()).isEmpty();
		assertThat(table.route(bb).handlers()).containsExactly(registration);
		assertThat(table.route(EventName.parse("Aa")).handlers()).isEmpty();
		assertThat(table.route(EventName.parse("BB")).handlers()).containsExactly(registration);
		assertThat(table.cachedRoutes()).isEqualTo(2);
	}

	// Past the bound, names are no longer cached but still resolved, each to its own handlers.
	@Test
	void cachesAtMostTheBoundAndResolvesTheRest() {
		HandlerRegistration registration = registration("h", "shop.*");
		HandlerRegistration other = registration("o", "shop.n7");
		DispatchTable table = DispatchTable.empty(4, this.catalog).with(registration).with(other);
		for (int i = 0; i < 100; i++) {
			EventName name = EventName.parse("shop.n" + i);
			DispatchTable.Route route = table.route(name);
			assertThat(route.event()).isEqualTo(name);
			assertThat(route.handlers()).containsExactlyElementsOf(
					(i == 7) ? List.of(registration, other) : List.of(registration));
			assertThat(table.route(name) == route).isEqualTo(i < 4);
		}
		assertThat(table.cachedRoutes()).isEqualTo(4);
	}

	// A large bound does not make a large cache: at most 8,192 names by EventName.
	@Test
	void capsTheCacheWhateverTheBound() {
		DispatchTable table = DispatchTable.empty(100_000, this.catalog);
		for (int i = 0; i < DispatchTable.MAX_CACHED_ROUTES + 100; i++) {
			assertThat(table.route(EventName.parse("shop.n" + i)).handlers()).isEmpty();
		}
		assertThat(table.cachedRoutes()).isEqualTo(DispatchTable.MAX_CACHED_ROUTES);
	}

	// Threads that resolve the same names at once each get the right handlers, and the cache
	// keeps within its bound.
	@Test
	void threadsResolvingAtOnceGetTheRightRoutes() throws Exception {
		HandlerRegistration registration = registration("h", "shop.*.stop");
		DispatchTable table = DispatchTable.empty(64, this.catalog).with(registration);
		ExecutorService threads = Executors.newFixedThreadPool(4);
		try {
			List<Callable<Integer>> tasks = new ArrayList<>();
			for (int t = 0; t < 4; t++) {
				tasks.add(() -> {
					int wrong = 0;
					for (int round = 0; round < 50; round++) {
						for (int i = 0; i < 100; i++) {
							DispatchTable.Route route = table.route(EventName.parse("shop.n" + i + ".stop"));
							wrong += (route.handlers().length == 1 && route.handlers()[0] == registration) ? 0 : 1;
							route = table.route(EventName.parse("shop.n" + i + ".start"));
							wrong += route.handlers().length;
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
		assertThat(table.cachedRoutes()).isEqualTo(64);
	}

	private static HandlerRegistration registration(String id, String event) {
		return new HandlerRegistration(id, List.of(EventName.parse(event)), (e, m, md, c) -> {
		}, null, id.hashCode(), "test");
	}

}
