package dev.telemetry.actuate;

import java.util.Collection;
import java.util.List;
import java.util.Map;

import dev.telemetry.EventName;

/**
 * Finds emitted event names that a handler's name or pattern almost matches: same number of
 * segments, at most {@value #MAX_EDITS} character edits in all, wildcards free.
 *
 * @author telemetry-spring-boot
 */
final class EventNameSuggestions {

	static final int MAX_EDITS = 2;

	private EventNameSuggestions() {
	}

	static List<String> suggest(EventName attached, Collection<EventName> emitted) {
		return emitted.stream()
			.map((name) -> Map.entry(name.toString(), edits(attached.segments(), name.segments())))
			.filter((candidate) -> candidate.getValue() > 0 && candidate.getValue() <= MAX_EDITS)
			.sorted(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
			.limit(3)
			.map(Map.Entry::getKey)
			.toList();
	}

	private static int edits(List<String> attached, List<String> emitted) {
		boolean tail = "**".equals(attached.get(attached.size() - 1));
		int fixed = tail ? attached.size() - 1 : attached.size();
		if (tail ? emitted.size() <= fixed : emitted.size() != fixed) {
			return Integer.MAX_VALUE;
		}
		int edits = 0;
		for (int i = 0; i < fixed && edits <= MAX_EDITS; i++) {
			if (!"*".equals(attached.get(i))) {
				edits += levenshtein(attached.get(i), emitted.get(i));
			}
		}
		return edits;
	}

	static int levenshtein(String a, String b) {
		int[] previous = new int[b.length() + 1];
		int[] current = new int[b.length() + 1];
		for (int j = 0; j <= b.length(); j++) {
			previous[j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			current[0] = i;
			for (int j = 1; j <= b.length(); j++) {
				int substitution = previous[j - 1] + ((a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1);
				current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
			}
			int[] swap = previous;
			previous = current;
			current = swap;
		}
		return previous[b.length()];
	}

}
