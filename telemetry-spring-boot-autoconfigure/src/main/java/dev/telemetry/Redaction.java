package dev.telemetry;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * Which metadata keys hold secrets: those containing one of the configured words, ignoring case
 * ({@code payment_token}, {@code Authorization}). Span attributes use it
 * ({@code telemetry.redaction.keys}); handlers that write metadata anywhere should too.
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
public final class Redaction {

	/** The words that make a key sensitive by default. */
	public static final List<String> DEFAULT_KEYS = List.of("password", "secret", "token", "authorization", "cookie",
			"card", "cvv", "iban");

	/** What a sensitive value is replaced with. */
	public static final String REDACTED = "[REDACTED]";

	private final String[] words;

	private final ConcurrentHashMap<String, Boolean> decisions = new ConcurrentHashMap<>();

	private Redaction(Collection<String> words) {
		this.words = words.stream().map((word) -> word.toLowerCase(Locale.ROOT)).toArray(String[]::new);
	}

	/** Redaction of keys containing any of the given words, ignoring case. */
	public static Redaction of(Collection<String> words) {
		return new Redaction(words);
	}

	/** Redaction of keys containing any of {@link #DEFAULT_KEYS}. */
	public static Redaction defaults() {
		return new Redaction(DEFAULT_KEYS);
	}

	/** Whether a key holds a secret, whose value must not be shown. */
	public boolean isSensitive(String key) {
		Boolean decision = this.decisions.get(key);
		if (decision == null) {
			String lower = key.toLowerCase(Locale.ROOT);
			decision = Arrays.stream(this.words).anyMatch(lower::contains);
			if (this.decisions.size() < 4096) {
				this.decisions.put(key, decision);
			}
		}
		return decision;
	}

	/** The value to show for a key: {@link #REDACTED} if the key is sensitive, else the value. */
	public @Nullable Object apply(String key, @Nullable Object value) {
		return isSensitive(key) ? REDACTED : value;
	}

}
