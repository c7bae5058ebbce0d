package dev.telemetry.actuate;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import dev.telemetry.EventName;
import dev.telemetry.actuate.TelemetryDescriptor.EventCatalogDescriptor;
import dev.telemetry.bus.BusRecorder;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * The part of {@link BusStatistics} that dispatch touches: every name emitted, with how often and
 * when last, at most {@code maxEvents} names (emissions of further names are only counted). The
 * time comes from a clock that a thread ticks each second while the context runs: reading the
 * system clock costs more than a dispatch.
 *
 * @author telemetry-spring-boot
 */
abstract class EventCatalog implements BusRecorder, SmartLifecycle {

	/** The source of names emitted by the application's own code. */
	static final String APPLICATION = "application";

	final Map<EventName, Entry> entries = new ConcurrentHashMap<>();

	private final int maxEvents;

	private final LongAdder overflow = new LongAdder();

	private volatile long clockMillis;

	private @Nullable ScheduledExecutorService clock;

	EventCatalog(int maxEvents) {
		this.maxEvents = maxEvents;
	}

	@Override
	public Counter counter(EventName event) {
		Entry entry = this.entries.get(event);
		if (entry == null && this.entries.size() < this.maxEvents) {
			entry = this.entries.computeIfAbsent(event, (name) -> new Entry());
		}
		return (entry != null) ? entry : this.overflow::increment;
	}

	@Override
	public Counter counter(EventName event, String source) {
		Counter counter = counter(event);
		if (counter instanceof Entry entry) {
			entry.source = source;
		}
		return counter;
	}

	EventCatalogDescriptor catalog() {
		return new EventCatalogDescriptor(this.entries.size(), this.maxEvents, this.overflow.sum());
	}

	@Override
	public synchronized void start() {
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

	@Override
	public synchronized void stop() {
		if (this.clock != null) {
			this.clock.shutdownNow();
			this.clock = null;
		}
		this.clockMillis = 0;
	}

	@Override
	public synchronized boolean isRunning() {
		return this.clock != null;
	}

	/** A name's emissions: how many, when last, and what emits it. */
	final class Entry implements Counter {

		final LongAdder count = new LongAdder();

		volatile long lastSeenMillis;

		volatile String source = APPLICATION;

		@Override
		public void increment() {
			long now = EventCatalog.this.clockMillis;
			now = (now != 0) ? now : System.currentTimeMillis();
			// Written only when the second changes, so that threads do not fight over the cache line; before the
			// count, so that whoever sees the count sees a time.
			if (this.lastSeenMillis != now) {
				this.lastSeenMillis = now;
			}
			this.count.increment();
		}

	}

}
