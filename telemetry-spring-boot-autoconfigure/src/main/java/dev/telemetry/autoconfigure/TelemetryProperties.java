package dev.telemetry.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.telemetry.bus.HandlerFailurePolicy;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of the telemetry starter.
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
@ConfigurationProperties("telemetry")
public class TelemetryProperties {

	/**
	 * Whether the telemetry bus is enabled. When disabled, a no-op bus is still available for
	 * injection but no handler is attached and no event is delivered.
	 */
	private boolean enabled = true;

	/**
	 * What to do with a handler that throws: 'detach' it from all its events and log one error,
	 * or 'keep' it attached and log its failures at a bounded rate.
	 */
	private HandlerFailurePolicy handlerFailure = HandlerFailurePolicy.DETACH;

	/**
	 * Least time between two warnings about the same failing handler when handler-failure is
	 * 'keep'.
	 */
	private Duration handlerFailureLogInterval = Duration.ofMinutes(1);

	private final Annotations annotations = new Annotations();

	private final ContextPropagation contextPropagation = new ContextPropagation();

	private final Endpoint endpoint = new Endpoint();

	private final Redaction redaction = new Redaction();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public HandlerFailurePolicy getHandlerFailure() {
		return this.handlerFailure;
	}

	public void setHandlerFailure(HandlerFailurePolicy handlerFailure) {
		this.handlerFailure = handlerFailure;
	}

	public Duration getHandlerFailureLogInterval() {
		return this.handlerFailureLogInterval;
	}

	public void setHandlerFailureLogInterval(Duration handlerFailureLogInterval) {
		this.handlerFailureLogInterval = handlerFailureLogInterval;
	}

	public Annotations getAnnotations() {
		return this.annotations;
	}

	public ContextPropagation getContextPropagation() {
		return this.contextPropagation;
	}

	public Endpoint getEndpoint() {
		return this.endpoint;
	}

	public Redaction getRedaction() {
		return this.redaction;
	}

	/**
	 * The {@code @TelemetryEvent} advice.
	 */
	public static class Annotations {

		/**
		 * Whether @TelemetryEvent methods emit events and spans (needs AspectJ on the classpath).
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * Trace context propagation across threads.
	 */
	public static class ContextPropagation {

		/**
		 * Whether executor, scheduler and ExecutorService beans (the @Async executor included)
		 * carry the submitting thread's trace context and observation into their tasks.
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * What the bus records for the telemetry actuator endpoint.
	 */
	public static class Endpoint {

		/**
		 * Most distinct event names kept in the catalog of emitted events; emissions of further
		 * names are counted as overflow, never stored.
		 */
		private int maxEvents = 1000;

		public int getMaxEvents() {
			return this.maxEvents;
		}

		public void setMaxEvents(int maxEvents) {
			this.maxEvents = maxEvents;
		}

	}

	/**
	 * Which metadata values are secrets.
	 */
	public static class Redaction {

		/**
		 * Words that make a metadata key sensitive when the key contains one, ignoring case; the
		 * values of such keys are replaced by [REDACTED] in span attributes.
		 */
		private List<String> keys = new ArrayList<>(dev.telemetry.Redaction.DEFAULT_KEYS);

		public List<String> getKeys() {
			return this.keys;
		}

		public void setKeys(List<String> keys) {
			this.keys = keys;
		}

	}

}
