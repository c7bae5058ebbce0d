package dev.telemetry.bus;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * Read-only views of the caller's maps for handlers. Maps that are already unmodifiable
 * ({@code Map.of}, {@code Collections.unmodifiableMap}, {@code Collections.emptyMap}, the span
 * maps) are passed
 * as they are, so emitting prebuilt maps allocates nothing.
 *
 * @author telemetry-spring-boot
 */
final class ReadOnlyMaps {

	private static final Class<?> MAP_0 = Map.of().getClass();

	private static final Class<?> MAP_1 = Map.of("k", "v").getClass();

	private static final Class<?> MAP_N = Map.of("k", "v", "l", "w").getClass();

	private static final Class<?> EMPTY_MAP = Collections.emptyMap().getClass();

	private static final Class<?> UNMODIFIABLE_MAP = Collections.unmodifiableMap(new HashMap<>()).getClass();

	private ReadOnlyMaps() {
	}

	@SuppressWarnings("unchecked")
	static <V> Map<String, V> view(Map<String, ? extends V> map) {
		return isImmutable(map) ? (Map<String, V>) map : Collections.unmodifiableMap(map);
	}

	/**
	 * Whether the map cannot change, not even through another reference: not an unmodifiable
	 * view of a map someone else may change.
	 */
	static boolean isConstant(Map<String, ?> map) {
		Class<?> type = map.getClass();
		return type == MAP_1 || type == MAP_N || type == MAP_0 || type == EMPTY_MAP || map instanceof SpanMaps.Immutable;
	}

	/**
	 * Whether handlers can be given the map as it is: a constant map, or an unmodifiable view.
	 */
	static boolean isImmutable(Map<String, ?> map) {
		return isConstant(map) || map.getClass() == UNMODIFIABLE_MAP;
	}

}
