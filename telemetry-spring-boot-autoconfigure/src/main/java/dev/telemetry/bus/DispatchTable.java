package dev.telemetry.bus;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.telemetry.EventName;
import org.jspecify.annotations.Nullable;

/**
 * An immutable snapshot of what is attached, with a cache of which handlers receive each
 * concrete event name. A write builds a new table, which drops the cache with the old one.
 * <p>
 * The cache holds at most {@code maxCachedNames} names, and at most 8,192 by {@link EventName},
 * so a flood of distinct names cannot grow memory; past that, names are resolved on every call.
 *
 * @author telemetry-spring-boot
 */
final class DispatchTable {

	static final HandlerRegistration[] NONE = new HandlerRegistration[0];

	private static final VarHandle ROUTE_SLOT = MethodHandles.arrayElementVarHandle(Route[].class);

	/**
	 * The most names whose routes are cached whatever {@code maxCachedNames} says, so that a large
	 * bound does not cost a large array in every table.
	 */
	static final int MAX_CACHED_ROUTES = 8192;

	private static final Comparator<HandlerRegistration> ATTACH_ORDER = Comparator.comparingLong((r) -> r.order);

	/**
	 * Handlers by id, in attach order.
	 */
	final Map<String, HandlerRegistration> byId;

	private final Map<EventName, HandlerRegistration[]> exact;

	private final HandlerRegistration[] patternOwners;

	private final int maxCachedNames;

	private final EventCatalog catalog;

	/**
	 * Routes already resolved: an open-addressed table with a power of two of slots, at least twice
	 * {@link #maxCachedRoutes}, filled by compare-and-set and never resized or emptied, so that it
	 * always has a free slot and a hit costs one array read and an identity check. Slots are read
	 * plainly: a {@link Route} has only final fields, so a thread that sees one sees it whole, and a
	 * thread that does not see it yet resolves the name again.
	 */
	private final Route[] routes;

	private final int maxCachedRoutes;

	private final AtomicInteger cachedRoutes = new AtomicInteger();

	private final ConcurrentHashMap<String, Route> dottedRoutes = new ConcurrentHashMap<>();

	private DispatchTable(Map<String, HandlerRegistration> byId, int maxCachedNames, EventCatalog catalog) {
		this.byId = byId;
		this.maxCachedNames = maxCachedNames;
		this.catalog = catalog;
		this.maxCachedRoutes = Math.min(maxCachedNames, MAX_CACHED_ROUTES);
		this.routes = new Route[Integer.highestOneBit(2 * this.maxCachedRoutes - 1) << 1];
		Map<EventName, List<HandlerRegistration>> exact = new HashMap<>();
		List<HandlerRegistration> patternOwners = new ArrayList<>();
		for (HandlerRegistration registration : byId.values()) {
			boolean hasPattern = false;
			for (EventName event : registration.events) {
				if (event.isPattern()) {
					hasPattern = true;
				}
				else {
					exact.computeIfAbsent(event, (key) -> new ArrayList<>()).add(registration);
				}
			}
			if (hasPattern) {
				patternOwners.add(registration);
			}
		}
		this.exact = new HashMap<>();
		exact.forEach((event, registrations) -> this.exact.put(event, registrations.toArray(NONE)));
		this.patternOwners = patternOwners.toArray(NONE);
	}

	static DispatchTable empty(int maxCachedNames, EventCatalog catalog) {
		return new DispatchTable(Map.of(), maxCachedNames, catalog);
	}

	DispatchTable with(HandlerRegistration registration) {
		Map<String, HandlerRegistration> byId = new LinkedHashMap<>(this.byId);
		byId.put(registration.id, registration);
		return new DispatchTable(byId, this.maxCachedNames, this.catalog);
	}

	DispatchTable without(String handlerId) {
		Map<String, HandlerRegistration> byId = new LinkedHashMap<>(this.byId);
		byId.remove(handlerId);
		return new DispatchTable(byId, this.maxCachedNames, this.catalog);
	}

	/**
	 * Where a concrete event goes: its handlers, in attach order, each once, and its catalog entry.
	 */
	Route route(EventName event) {
		Route[] routes = this.routes;
		int mask = routes.length - 1;
		int slot = spread(event.hashCode()) & mask;
		Route cached = routes[slot];
		while (cached != null) {
			if (cached.event() == event || cached.event().equals(event)) {
				return cached;
			}
			slot = (slot + 1) & mask;
			cached = routes[slot];
		}
		Route route = new Route(event, compute(event), this.catalog.entryFor(event));
		if (this.cachedRoutes.get() < this.maxCachedRoutes) {
			cache(route, slot, mask);
		}
		return route;
	}

	/**
	 * Put a route in the first free slot from {@code slot} on, unless another thread has just put
	 * the same name there or the bound is reached.
	 */
	private void cache(Route route, int slot, int mask) {
		if (this.cachedRoutes.incrementAndGet() > this.maxCachedRoutes) {
			return;
		}
		for (int i = slot;; i = (i + 1) & mask) {
			Route there = (Route) ROUTE_SLOT.compareAndExchange(this.routes, i, null, route);
			if (there == null) {
				return;
			}
			if (there.event().equals(route.event())) {
				this.cachedRoutes.decrementAndGet();
				return;
			}
		}
	}

	/**
	 * Mix the high bits of a hash into the low ones, which pick the slot, as
	 * {@link java.util.HashMap} does.
	 */
	private static int spread(int hash) {
		return hash ^ (hash >>> 16);
	}

	/**
	 * How many names have a cached route.
	 */
	int cachedRoutes() {
		return Math.min(this.cachedRoutes.get(), this.maxCachedRoutes);
	}

	/**
	 * The route of a dotted concrete event name.
	 */
	Route route(String dotted) {
		Route route = this.dottedRoutes.get(dotted);
		if (route == null) {
			EventName event = EventName.parse(dotted);
			requireConcrete(event);
			route = route(event);
			if (this.dottedRoutes.size() < this.maxCachedNames) {
				this.dottedRoutes.putIfAbsent(dotted, route);
			}
		}
		return route;
	}

	static void requireConcrete(EventName event) {
		if (event.isPattern()) {
			throw new IllegalArgumentException(
					"Cannot execute the pattern '" + event + "': patterns are for attaching handlers only");
		}
	}

	private HandlerRegistration[] compute(EventName event) {
		HandlerRegistration[] exactMatches = this.exact.get(event);
		if (this.patternOwners.length == 0) {
			return (exactMatches != null) ? exactMatches : NONE;
		}
		List<HandlerRegistration> matches = new ArrayList<>();
		if (exactMatches != null) {
			matches.addAll(Arrays.asList(exactMatches));
		}
		for (HandlerRegistration owner : this.patternOwners) {
			if (!matches.contains(owner) && matchesAnyPattern(owner, event)) {
				matches.add(owner);
			}
		}
		if (matches.isEmpty()) {
			return NONE;
		}
		matches.sort(ATTACH_ORDER);
		return matches.toArray(NONE);
	}

	private static boolean matchesAnyPattern(HandlerRegistration registration, EventName event) {
		for (EventName attached : registration.events) {
			if (attached.isPattern() && attached.matches(event)) {
				return true;
			}
		}
		return false;
	}

	@Nullable HandlerRegistration get(String handlerId) {
		return this.byId.get(handlerId);
	}

	/**
	 * A concrete event name with the handlers that receive it and its catalog entry.
	 */
	record Route(EventName event, HandlerRegistration[] handlers, EventCatalog.Entry entry) {
	}

}
