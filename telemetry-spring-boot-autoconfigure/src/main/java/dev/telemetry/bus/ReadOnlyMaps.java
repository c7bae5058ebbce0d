package dev.telemetry.bus;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import dev.telemetry.TelemetrySpanContext;
import org.jspecify.annotations.Nullable;

/**
 * Read-only maps for handlers. Unmodifiable maps are passed as they are, so emitting prebuilt maps
 * allocates nothing; spans use two longs that box only when read, and the start metadata plus the
 * span context without a copy.
 *
 * @author telemetry-spring-boot
 */
final class ReadOnlyMaps {

	private static final Class<?> MAP_1 = Map.of("k", "v").getClass();

	private static final Class<?> MAP_N = Map.of("k", "v", "l", "w").getClass();

	private static final Class<?> EMPTY_MAP = Collections.emptyMap().getClass();

	private ReadOnlyMaps() {
	}

	/** The map as it is if it is constant, else a view of it (which an unmodifiable view already is). */
	@SuppressWarnings("unchecked")
	static <V> Map<String, V> view(Map<String, ? extends V> map) {
		return isConstant(map) ? (Map<String, V>) map : Collections.unmodifiableMap(map);
	}

	/** Whether the map cannot change, not even through another reference, as a view's map can. */
	static boolean isConstant(Map<String, ?> map) {
		Class<?> type = map.getClass();
		return type == MAP_1 || type == MAP_N || type == EMPTY_MAP || type == TwoLongs.class || type == SpanMetadata.class;
	}

	static final class TwoLongs extends AbstractMap<String, Number> {

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

	/** A span's start metadata plus its context, which wins over the caller's entry of its key. */
	static final class SpanMetadata extends AbstractMap<String, Object> {

		private static final String KEY = TelemetrySpanContext.METADATA_KEY;

		private final Map<String, ?> base;

		final TelemetrySpanContext context;

		SpanMetadata(Map<String, ?> base, TelemetrySpanContext context) {
			this.base = base;
			this.context = context;
		}

		@Override
		public @Nullable Object get(Object key) {
			return KEY.equals(key) ? this.context : this.base.get(key);
		}

		@Override
		public boolean containsKey(Object key) {
			return KEY.equals(key) || this.base.containsKey(key);
		}

		@Override
		public int size() {
			return this.base.size() + (this.base.containsKey(KEY) ? 0 : 1);
		}

		@Override
		public Set<Entry<String, Object>> entrySet() {
			return Collections.unmodifiableMap(copy()).entrySet();
		}

		/** A mutable copy, made in one pass over the caller's map. */
		Map<String, Object> copy() {
			Map<String, Object> copy = new LinkedHashMap<>(this.base.size() + 4);
			copy.putAll(this.base);
			copy.put(KEY, this.context);
			return copy;
		}

	}

}
