package dev.telemetry.bus;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.telemetry.AttachedHandler;
import dev.telemetry.EventName;
import dev.telemetry.TelemetryHandler;
import org.jspecify.annotations.Nullable;

/**
 * An immutable snapshot of what is attached; a write builds a new one. It caches the handlers each
 * name reaches, so patterns are resolved once per name, for at most {@value #MAX_CACHED_NAMES}
 * names, so that a flood of names cannot grow memory.
 *
 * @author telemetry-spring-boot
 */
final class DispatchTable {

	static final int MAX_CACHED_NAMES = 4096;

	/** Handlers by id, in attach order. */
	private final Map<String, Registration> byId;

	private final BusRecorder recorder;

	private final ConcurrentHashMap<EventName, Route> routes = new ConcurrentHashMap<>();

	private final ConcurrentHashMap<EventName, SpanRoutes> spanRoutes = new ConcurrentHashMap<>();

	DispatchTable(Map<String, Registration> byId, BusRecorder recorder) {
		this.byId = byId;
		this.recorder = recorder;
	}

	DispatchTable with(Registration registration) {
		Map<String, Registration> byId = new LinkedHashMap<>(this.byId);
		byId.put(registration.id, registration);
		return new DispatchTable(byId, this.recorder);
	}

	DispatchTable without(String handlerId) {
		Map<String, Registration> byId = new LinkedHashMap<>(this.byId);
		byId.remove(handlerId);
		return new DispatchTable(byId, this.recorder);
	}

	static EventName requireConcrete(EventName event) {
		if (event.isPattern()) {
			throw new IllegalArgumentException(
					"Cannot execute the pattern '" + event + "': patterns are for attaching handlers only");
		}
		return event;
	}

	@Nullable Registration get(String handlerId) {
		return this.byId.get(handlerId);
	}

	/** One row per (handler, name or pattern), in attach order. */
	List<AttachedHandler> rows() {
		return this.byId.values()
			.stream()
			.flatMap((registration) -> registration.events.stream()
				.map((event) -> new AttachedHandler(registration.id, event, registration.handler, registration.config)))
			.toList();
	}

	/** A name's handlers in attach order, each once, and its counter (none for a pattern). */
	Route route(EventName event) {
		Route route = this.routes.get(event);
		if (route != null) {
			return route;
		}
		Registration[] handlers = this.byId.values()
			.stream()
			.filter((registration) -> registration.events.stream().anyMatch(event::overlaps))
			.toArray(Registration[]::new);
		BusRecorder.Counter counter = event.isPattern() ? BusRecorder.Counter.NONE : this.recorder.counter(event);
		return cache(this.routes, event, new Route(event, handlers, counter));
	}

	/**
	 * A span's start and stop routes, resolved once per table. Not the exception's: resolving a
	 * route makes its name known to the endpoint, which should list it once it is thrown.
	 */
	SpanRoutes spanRoutes(EventName prefix) {
		SpanRoutes routes = this.spanRoutes.get(prefix);
		return (routes != null) ? routes : cache(this.spanRoutes, prefix,
				new SpanRoutes(this, prefix, route(prefix.append("start")), route(prefix.append("stop"))));
	}

	/** Cache a value computed on a miss, unless the cache is full. */
	static <K, V> V cache(ConcurrentHashMap<K, V> cache, K key, V value) {
		if (cache.size() < MAX_CACHED_NAMES) {
			cache.putIfAbsent(key, value);
		}
		return value;
	}

	record Route(EventName event, Registration[] handlers, BusRecorder.Counter counter) {

		/** The handlers of an emission of this name now; counts the emission. */
		Registration[] count() {
			this.counter.increment();
			return this.handlers;
		}

	}

	record SpanRoutes(DispatchTable table, EventName prefix, Route start, Route stop) {
	}

	/** One handler attached under one id, to one or more names or patterns. */
	static final class Registration {

		final String id;

		final List<EventName> events;

		final TelemetryHandler handler;

		final @Nullable Object config;

		/** Paces the warnings about this handler's failures under {@link HandlerFailurePolicy#KEEP}. */
		final LogRateLimiter warnings;

		/** Cleared on detach, so that a dispatch that read an older table skips the handler. */
		volatile boolean attached = true;

		Registration(String id, List<EventName> events, TelemetryHandler handler, @Nullable Object config,
				LogRateLimiter warnings) {
			this.id = id;
			this.events = events;
			this.handler = handler;
			this.config = config;
			this.warnings = warnings;
		}

	}

}
