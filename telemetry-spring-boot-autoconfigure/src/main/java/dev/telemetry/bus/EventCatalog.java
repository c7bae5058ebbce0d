package dev.telemetry.bus;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import dev.telemetry.EventName;
import org.jspecify.annotations.Nullable;

/**
 * Every event name emitted since start, with how often and when it was last seen; at most
 * {@code maxEvents} names. Names past the bound share one overflow entry, so that a flood of
 * distinct names is counted but never stored.
 *
 * @author telemetry-spring-boot
 */
final class EventCatalog {

	private final int maxEvents;

	private final ConcurrentHashMap<EventName, Entry> entries = new ConcurrentHashMap<>();

	private final Entry overflow = new Entry(null);

	EventCatalog(int maxEvents) {
		this.maxEvents = maxEvents;
	}

	Entry entryFor(EventName event) {
		Entry entry = this.entries.get(event);
		if (entry != null) {
			return entry;
		}
		if (this.entries.size() >= this.maxEvents) {
			return this.overflow;
		}
		return this.entries.computeIfAbsent(event, Entry::new);
	}

	List<Entry> entries() {
		return new ArrayList<>(this.entries.values());
	}

	long overflowCount() {
		return this.overflow.count.sum();
	}

	int maxEvents() {
		return this.maxEvents;
	}

	/**
	 * What is known of one event name.
	 */
	static final class Entry {

		final @Nullable EventName event;

		final LongAdder count = new LongAdder();

		volatile long lastSeenMillis;

		Entry(@Nullable EventName event) {
			this.event = event;
		}

		void record() {
			this.count.increment();
			long now = CoarseClock.millis();
			// Write only when the second changes, so that threads do not fight over the cache line.
			if (this.lastSeenMillis != now) {
				this.lastSeenMillis = now;
			}
		}

	}

}
