package dev.telemetry.actuate;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import dev.telemetry.EventName;
import dev.telemetry.actuate.TelemetryDescriptor.EventCatalogDescriptor;
import dev.telemetry.bus.BusRecorder.Counter;
import org.jspecify.annotations.Nullable;

/**
 * Every name emitted, with how often and when last, at most {@code maxEvents} names: emissions of
 * further names are counted, never stored. The time comes from a clock that a thread ticks each
 * second while {@link #start() started}: reading the system clock costs more than a dispatch.
 *
 * @author telemetry-spring-boot
 */
final class EventCatalog {

	/** The source of names emitted by the application's own code. */
	static final String APPLICATION = "application";

	private final int maxEvents;

	private final ConcurrentHashMap<EventName, Entry> entries = new ConcurrentHashMap<>();

	private final LongAdder overflow = new LongAdder();

	private final Counter overflowCounter = this.overflow::increment;

	private volatile long clockMillis;

	private @Nullable ScheduledExecutorService clock;

	EventCatalog(int maxEvents) {
		this.maxEvents = maxEvents;
	}

	Counter counter(EventName event, @Nullable String source) {
		Entry entry = this.entries.get(event);
		if (entry == null && this.entries.size() < this.maxEvents) {
			entry = this.entries.computeIfAbsent(event, Entry::new);
		}
		if (entry == null) {
			return this.overflowCounter;
		}
		if (source != null) {
			entry.source = source;
		}
		return entry;
	}

	Collection<Entry> entries() {
		return this.entries.values();
	}

	EventCatalogDescriptor describe() {
		return new EventCatalogDescriptor(this.entries.size(), this.maxEvents, this.overflow.sum());
	}

	synchronized void start() {
		this.clock = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "telemetry-clock");
			thread.setDaemon(true);
			return thread;
		});
		this.clock.scheduleAtFixedRate(this::tick, 0, 1, TimeUnit.SECONDS);
	}

	// Locked, so that no tick lands after stop(), which must leave the system clock in use.
	private synchronized void tick() {
		if (this.clock != null) {
			this.clockMillis = System.currentTimeMillis();
		}
	}

	synchronized void stop() {
		if (this.clock != null) {
			this.clock.shutdownNow();
			this.clock = null;
		}
		this.clockMillis = 0;
	}

	synchronized boolean isRunning() {
		return this.clock != null;
	}

	final class Entry implements Counter {

		final EventName name;

		final LongAdder count = new LongAdder();

		volatile long lastSeenMillis;

		volatile String source = APPLICATION;

		Entry(EventName name) {
			this.name = name;
		}

		@Override
		public void increment() {
			this.count.increment();
			long now = EventCatalog.this.clockMillis;
			now = (now != 0) ? now : System.currentTimeMillis();
			// Written only when the second changes, so that threads do not fight over the cache line.
			if (this.lastSeenMillis != now) {
				this.lastSeenMillis = now;
			}
		}

	}

}
