package dev.telemetry;

import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The name of a telemetry event: a non-empty sequence of segments, written dotted
 * ({@code shop.checkout.stop}).
 * <p>
 * Each segment is made of {@code [A-Za-z0-9_-]} characters. A name used to attach a handler may
 * also be a <em>pattern</em>: a segment {@code *} matches exactly one segment, and {@code **} as the
 * last segment matches one or more. Patterns can be attached to but never executed.
 * <p>
 * Instances are immutable and cheap keys for dispatch: create the names you emit once (a
 * {@code static final} field) and reuse them.
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
public final class EventName {

	private static final String ONE = "*";

	private static final String MANY = "**";

	private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-]+");

	private final String[] segments;

	private final boolean pattern;

	private final int hash;

	private final String dotted;

	private EventName(String[] segments) {
		boolean pattern = false;
		for (int i = 0; i < segments.length; i++) {
			pattern |= isWildcard(segments, i);
		}
		this.segments = segments;
		this.pattern = pattern;
		this.hash = Arrays.hashCode(segments);
		this.dotted = String.join(".", segments);
	}

	/**
	 * A name of one or more segments, each {@code [A-Za-z0-9_-]+}, {@code *}, or a last {@code **}.
	 * @throws IllegalArgumentException if there is no segment or one is not valid, naming it
	 */
	public static EventName of(String... segments) {
		if (segments == null || segments.length == 0) {
			throw new IllegalArgumentException("An event name needs at least one segment");
		}
		return new EventName(segments.clone());
	}

	/**
	 * Parse a dotted name such as {@code shop.checkout.stop} or {@code shop.*.stop}.
	 * @throws IllegalArgumentException if the name is empty or a segment is not valid
	 */
	public static EventName parse(String dotted) {
		if (dotted == null || dotted.isEmpty()) {
			throw new IllegalArgumentException("An event name must not be empty");
		}
		try {
			return new EventName(dotted.split("\\.", -1));
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("Invalid event name '" + dotted + "': " + ex.getMessage(), ex);
		}
	}

	/** Whether a valid segment is a wildcard; an invalid one throws, naming it. */
	private static boolean isWildcard(String[] segments, int index) {
		String segment = segments[index];
		if (segment == null || segment.isEmpty()) {
			throw new IllegalArgumentException("segment " + (index + 1) + " is empty");
		}
		if (MANY.equals(segment) && index != segments.length - 1) {
			throw new IllegalArgumentException("segment " + (index + 1) + " '**' is only allowed as the last segment");
		}
		if (ONE.equals(segment) || MANY.equals(segment)) {
			return true;
		}
		if (!SEGMENT.matcher(segment).matches()) {
			throw new IllegalArgumentException("segment " + (index + 1) + " '" + segment
					+ "' may only hold letters, digits, '_' and '-', or be '*' or a last '**'");
		}
		return false;
	}

	/** Whether this name holds a {@code *} or {@code **} segment; a pattern cannot be executed. */
	public boolean isPattern() {
		return this.pattern;
	}

	/** The segments of this name, unmodifiable. */
	public List<String> segments() {
		return List.of(this.segments);
	}

	/**
	 * A new name with one more segment at the end, e.g. {@code shop.checkout} + {@code stop}.
	 * @throws IllegalArgumentException if the segment is not valid, or this name ends with {@code **}
	 */
	public EventName append(String segment) {
		String[] longer = Arrays.copyOf(this.segments, this.segments.length + 1);
		longer[this.segments.length] = segment;
		return new EventName(longer);
	}

	/**
	 * Whether the leading segments of this name equal all segments of {@code prefix}. A name
	 * starts with itself; segments are compared literally, wildcards included.
	 */
	public boolean startsWith(EventName prefix) {
		String[] other = prefix.segments;
		return other.length <= this.segments.length
				&& Arrays.equals(other, 0, other.length, this.segments, 0, other.length);
	}

	/**
	 * Whether a handler attached to this name or pattern receives the concrete name {@code event}:
	 * a plain name only itself; {@code *} any one segment; a last {@code **} one or more segments.
	 */
	public boolean matches(EventName event) {
		return overlaps(event);
	}

	/**
	 * Whether some concrete name matches both this name and {@code other}, each a pattern or a
	 * plain name; for a concrete {@code other} this is {@link #matches}.
	 */
	public boolean overlaps(EventName other) {
		String[] a = this.segments;
		String[] b = other.segments;
		for (int i = 0;; i++) {
			if (i == a.length || i == b.length) {
				return a.length == b.length;
			}
			if (MANY.equals(a[i]) || MANY.equals(b[i])) {
				return true;
			}
			if (!ONE.equals(a[i]) && !ONE.equals(b[i]) && !a[i].equals(b[i])) {
				return false;
			}
		}
	}

	/**
	 * The names among {@code names} that this name or pattern almost matches, for "did you mean"
	 * messages: the same number of segments (one or more under a last {@code **}) and at most two
	 * character edits in all, wildcard segments costing nothing. A name that this one
	 * {@link #matches} is not a near miss. At most three, the closest first, then in dotted order.
	 * @since 0.2.0
	 */
	public List<EventName> nearMisses(Collection<EventName> names) {
		return names.stream()
			.filter((name) -> {
				int edits = editsTo(name);
				return edits > 0 && edits <= 2;
			})
			.sorted(Comparator.comparingInt(this::editsTo).thenComparing(EventName::toString))
			.limit(3)
			.toList();
	}

	private int editsTo(EventName name) {
		int last = this.segments.length - 1;
		boolean tail = MANY.equals(this.segments[last]);
		if (tail ? name.segments.length <= last : name.segments.length != this.segments.length) {
			return Integer.MAX_VALUE;
		}
		int edits = 0;
		for (int i = 0; i < (tail ? last : this.segments.length); i++) {
			if (!ONE.equals(this.segments[i])) {
				edits += levenshtein(this.segments[i], name.segments[i]);
			}
		}
		return edits;
	}

	static int levenshtein(String a, String b) {
		int[] row = new int[b.length() + 1];
		for (int j = 0; j <= b.length(); j++) {
			row[j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			int diagonal = row[0];
			row[0] = i;
			for (int j = 1; j <= b.length(); j++) {
				int above = row[j];
				int substitution = diagonal + ((a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1);
				row[j] = Math.min(substitution, Math.min(above + 1, row[j - 1] + 1));
				diagonal = above;
			}
		}
		return row[b.length()];
	}

	@Override
	public boolean equals(Object obj) {
		return obj instanceof EventName other && this.hash == other.hash && Arrays.equals(this.segments, other.segments);
	}

	@Override
	public int hashCode() {
		return this.hash;
	}

	/** The dotted form, e.g. {@code shop.checkout.stop}; {@link #parse(String)} reads it back. */
	@Override
	public String toString() {
		return this.dotted;
	}

}
