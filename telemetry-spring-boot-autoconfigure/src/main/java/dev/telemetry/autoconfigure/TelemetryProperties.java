package dev.telemetry.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.telemetry.bus.HandlerFailurePolicy;
import dev.telemetry.metrics.MetricDefinition;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of the telemetry starter.
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
@ConfigurationProperties(prefix = "telemetry", ignoreUnknownFields = false)
public class TelemetryProperties {

	/**
	 * Whether the telemetry bus is enabled. When disabled, a no-op bus is still available for injection
	 * but no handler is attached and no event is delivered.
	 */
	private boolean enabled = true;

	/**
	 * What to do with a handler that throws: 'detach' it from all its events and log one error,
	 * or 'keep' it attached and log its failures at a bounded rate.
	 */
	private HandlerFailurePolicy handlerFailure = HandlerFailurePolicy.DETACH;

	/** Least time between two warnings about the same failing handler when handler-failure is 'keep'. */
	private Duration handlerFailureLogInterval = Duration.ofMinutes(1);

	private final Annotations annotations = new Annotations();

	private final ContextPropagation contextPropagation = new ContextPropagation();

	private final Endpoint endpoint = new Endpoint();

	private final Observations observations = new Observations();

	private final Redaction redaction = new Redaction();

	/** Metrics over events, keyed by meter name: event, measurement, type, unit, tags, description and max-series. */
	private Map<String, MetricDefinition> metrics = new LinkedHashMap<>();

	private final MetricDefaults metricDefaults = new MetricDefaults();

	private final Poller poller = new Poller();

	private final Exporter exporter = new Exporter();

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

	public Observations getObservations() {
		return this.observations;
	}

	public Redaction getRedaction() {
		return this.redaction;
	}

	public Map<String, MetricDefinition> getMetrics() {
		return this.metrics;
	}

	public void setMetrics(Map<String, MetricDefinition> metrics) {
		this.metrics = metrics;
	}

	public MetricDefaults getMetricDefaults() {
		return this.metricDefaults;
	}

	public Poller getPoller() {
		return this.poller;
	}

	public Exporter getExporter() {
		return this.exporter;
	}

	/** The {@code @TelemetryEvent} advice. */
	public static class Annotations {

		/** Whether @TelemetryEvent methods emit events and spans. */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/** Trace context propagation across threads. */
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

	/** The Observation bridge: Micrometer Observations emitted on the bus as telemetry spans. */
	public static class Observations {

		/**
		 * Whether every Micrometer Observation (http.server.requests, http.client.requests,
		 * tasks.scheduled.execution...) is emitted on the bus as name.start, name.stop and name.exception events.
		 */
		private boolean enabled = true;

		/**
		 * Observation names not emitted on the bus, each with the names under it by whole
		 * segments ('spring.security' leaves out 'spring.security.filterchains').
		 */
		private List<String> exclude = new ArrayList<>();

		/**
		 * Whether events carry the Observations' high-cardinality key values (a full URL, a SQL
		 * statement), redacted and cut like span attributes.
		 */
		private boolean highCardinality;

		/** Whether HTTP requests for actuator endpoints are observed (traced, timed, emitted). */
		private boolean observeActuator;

		/**
		 * Whether HTTP requests for static resources (/webjars/**, files such as .css, .js, .png, .ico) are
		 * observed.
		 */
		private boolean observeStaticResources;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public List<String> getExclude() {
			return this.exclude;
		}

		public void setExclude(List<String> exclude) {
			this.exclude = exclude;
		}

		public boolean isHighCardinality() {
			return this.highCardinality;
		}

		public void setHighCardinality(boolean highCardinality) {
			this.highCardinality = highCardinality;
		}

		public boolean isObserveActuator() {
			return this.observeActuator;
		}

		public void setObserveActuator(boolean observeActuator) {
			this.observeActuator = observeActuator;
		}

		public boolean isObserveStaticResources() {
			return this.observeStaticResources;
		}

		public void setObserveStaticResources(boolean observeStaticResources) {
			this.observeStaticResources = observeStaticResources;
		}

	}

	/** What the bus records for the telemetry actuator endpoint. */
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

	/** Which metadata values are secrets. */
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

	/** Defaults of every metric. */
	public static class MetricDefaults {

		/** Most tag sets of a metric before new tag values collapse to 'OTHER'. */
		private int maxSeries = 100;

		public int getMaxSeries() {
			return this.maxSeries;
		}

		public void setMaxSeries(int maxSeries) {
			this.maxSeries = maxSeries;
		}

	}

	/** The poller of periodic measurements. */
	public static class Poller {

		/** Whether to emit JVM, executor queue and PolledMeasurement bean measurements periodically. */
		private boolean enabled = true;

		/** Time between two polls (fixed rate). */
		private Duration period = Duration.ofSeconds(10);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getPeriod() {
			return this.period;
		}

		public void setPeriod(Duration period) {
			this.period = period;
		}

	}

	/** What becomes of finished spans on their way to the trace collector. */
	public static class Exporter {

		/**
		 * Whether to count exported, failed and dropped spans (endpoint and meters), log export
		 * trouble at a bounded rate and flush spans on shutdown.
		 */
		private boolean enabled = true;

		/** Least time between two log lines about failed or dropped span exports. */
		private Duration failureLogInterval = Duration.ofMinutes(1);

		/**
		 * How long shutdown waits for finished spans to be exported, after the web server and the
		 * task executors have stopped.
		 */
		private Duration shutdownTimeout = Duration.ofSeconds(10);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getFailureLogInterval() {
			return this.failureLogInterval;
		}

		public void setFailureLogInterval(Duration failureLogInterval) {
			this.failureLogInterval = failureLogInterval;
		}

		public Duration getShutdownTimeout() {
			return this.shutdownTimeout;
		}

		public void setShutdownTimeout(Duration shutdownTimeout) {
			this.shutdownTimeout = shutdownTimeout;
		}

	}

}
