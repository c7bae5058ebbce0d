package dev.telemetry.bus;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.telemetry.EventName;
import org.jspecify.annotations.Nullable;

/**
 * An immutable snapshot of what is attached, with a cache of which handlers receive each
 * concrete event name. A write builds a new table, which drops the cache with the old one.
 * <p>
 * The cache holds at most {@code maxCachedNames} names, so a flood of distinct names cannot grow
 * memory; past that, names are resolved on every call.
 *
 * @author telemetry-spring-boot
 */
final class DispatchTable {

	static final HandlerRegistration[] NONE = new HandlerRegistration[0];

	private static final Comparator<HandlerRegistration> ATTACH_ORDER = Comparator.comparingLong((r) -> r.order);

	/**
	 * Handlers by id, in attach order.
	 */
	final Map<String, HandlerRegistration> byId;

	private final Map<EventName, HandlerRegistration[]> exact;

	private final HandlerRegistration[] patternOwners;

	private final int maxCachedNames;

	private final ConcurrentHashMap<EventName, HandlerRegistration[]> resolved = new ConcurrentHashMap<>();

	private final ConcurrentHashMap<String, ResolvedName> resolvedDotted = new ConcurrentHashMap<>();

	private DispatchTable(Map<String, HandlerRegistration> byId, int maxCachedNames) {
		this.byId = byId;
		this.maxCachedNames = maxCachedNames;
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

	static DispatchTable empty(int maxCachedNames) {
		return new DispatchTable(Map.of(), maxCachedNames);
	}

	DispatchTable with(HandlerRegistration registration) {
		Map<String, HandlerRegistration> byId = new LinkedHashMap<>(this.byId);
		byId.put(registration.id, registration);
		return new DispatchTable(byId, this.maxCachedNames);
	}

	DispatchTable without(String handlerId) {
		Map<String, HandlerRegistration> byId = new LinkedHashMap<>(this.byId);
		byId.remove(handlerId);
		return new DispatchTable(byId, this.maxCachedNames);
	}

	/**
	 * The handlers that receive a concrete event, in attach order, each once.
	 */
	HandlerRegistration[] resolve(EventName event) {
		HandlerRegistration[] handlers = this.resolved.get(event);
		if (handlers == null) {
			handlers = compute(event);
			if (this.resolved.size() < this.maxCachedNames) {
				this.resolved.putIfAbsent(event, handlers);
			}
		}
		return handlers;
	}

	/**
	 * The name and handlers of a dotted concrete event name.
	 */
	ResolvedName resolve(String dotted) {
		ResolvedName resolvedName = this.resolvedDotted.get(dotted);
		if (resolvedName == null) {
			EventName event = EventName.parse(dotted);
			requireConcrete(event);
			resolvedName = new ResolvedName(event, resolve(event));
			if (this.resolvedDotted.size() < this.maxCachedNames) {
				this.resolvedDotted.putIfAbsent(dotted, resolvedName);
			}
		}
		return resolvedName;
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
	 * A dotted event name parsed once, with the handlers that receive it.
	 */
	record ResolvedName(EventName event, HandlerRegistration[] handlers) {
	}

}
