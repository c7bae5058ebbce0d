package dev.telemetry.bus;

import java.util.AbstractMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Small immutable maps for span events, so that a span allocates little: measurement maps of two
 * longs that box only when read, and metadata that is the caller's start metadata plus one entry
 * (the span context) without copying it.
 *
 * @author telemetry-spring-boot
 */
final class SpanMaps {

	private SpanMaps() {
	}

	/**
	 * Marks maps that are immutable already, so that handlers get them as they are.
	 */
	interface Immutable {

	}

	/**
	 * Two long measurements.
	 */
	static final class TwoLongs extends AbstractMap<String, Number> implements Immutable {

		private final String firstKey;

		private final long first;

		private final String secondKey;

		private final long second;

		TwoLongs(String firstKey, long first, String secondKey, long second) {
			this.firstKey = firstKey;
			this.first = first;
			this.secondKey = secondKey;
			this.second = second;
		}

		@Override
		public @Nullable Number get(Object key) {
			if (this.firstKey.equals(key)) {
				return this.first;
			}
			return this.secondKey.equals(key) ? this.second : null;
		}

		@Override
		public boolean containsKey(Object key) {
			return this.firstKey.equals(key) || this.secondKey.equals(key);
		}

		@Override
		public int size() {
			return 2;
		}

		@Override
		public Set<Entry<String, Number>> entrySet() {
			return Map.<String, Number>of(this.firstKey, this.first, this.secondKey, this.second).entrySet();
		}

	}

	/**
	 * The caller's metadata plus one entry that wins over the caller's entry of the same key.
	 */
	static final class WithEntry extends AbstractMap<String, Object> implements Immutable {

		private final Map<String, ?> base;

		private final String key;

		private final Object value;

		WithEntry(Map<String, ?> base, String key, Object value) {
			this.base = base;
			this.key = key;
			this.value = value;
		}

		@Override
		public @Nullable Object get(Object key) {
			return this.key.equals(key) ? this.value : this.base.get(key);
		}

		@Override
		public boolean containsKey(Object key) {
			return this.key.equals(key) || this.base.containsKey(key);
		}

		@Override
		public int size() {
			return this.base.size() + (this.base.containsKey(this.key) ? 0 : 1);
		}

		@Override
		public Set<Entry<String, Object>> entrySet() {
			return java.util.Collections.unmodifiableMap(copy()).entrySet();
		}

		/**
		 * A mutable copy, made in one pass over the caller's map.
		 */
		Map<String, Object> copy() {
			Map<String, Object> copy = new LinkedHashMap<>(this.base.size() + 4);
			copy.putAll(this.base);
			copy.put(this.key, this.value);
			return copy;
		}

	}

}
