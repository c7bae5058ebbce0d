package dev.telemetry.actuate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;

import dev.telemetry.actuate.TelemetryDescriptor.AnnotatedMethodDescriptor;
import dev.telemetry.actuate.TelemetryDescriptor.DiagnosticsDescriptor;
import dev.telemetry.actuate.TelemetryDescriptor.EventDescriptor;
import dev.telemetry.actuate.TelemetryDescriptor.HandlerDescriptor;
import dev.telemetry.aop.TelemetryEventMethods;
import dev.telemetry.metrics.MetricStatisticsSource;
import dev.telemetry.tracing.SpanExportStatistics;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Producible;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.core.io.ClassPathResource;
import org.springframework.util.MimeType;
import org.springframework.util.function.SingletonSupplier;

/**
 * {@link Endpoint @Endpoint} that answers "I added events, but nothing shows up": which handlers
 * are attached to what, what was emitted and how often, what failed, which names nobody listens
 * to, which handlers listen to names never emitted (with the near misses), and which annotated
 * methods a proxy cannot advise. It shows names, ids and counts, never a metadata value.
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
@Endpoint(id = "telemetry")
public class TelemetryEndpoint {

	private final boolean enabled;

	private final BusStatistics statistics;

	private final TelemetryEventMethods methods;

	private final MetricStatisticsSource metrics;

	private final @Nullable SpanExportStatistics export;

	private final SingletonSupplier<String> page = SingletonSupplier.of(TelemetryEndpoint::readPage);

	/**
	 * Create an endpoint.
	 * @param enabled whether telemetry is on ({@code telemetry.enabled})
	 * @param statistics what the bus has done
	 * @param methods the annotated methods, or {@code null} without the advice
	 * @param metrics the configured metrics
	 * @param export the span export statistics, or {@code null} when span export is not watched
	 */
	public TelemetryEndpoint(boolean enabled, BusStatistics statistics, @Nullable TelemetryEventMethods methods,
			MetricStatisticsSource metrics, @Nullable SpanExportStatistics export) {
		this.enabled = enabled;
		this.statistics = statistics;
		this.methods = (methods != null) ? methods : new TelemetryEventMethods();
		this.metrics = metrics;
		this.export = export;
	}

	/**
	 * The JSON of {@link #telemetry()}, or for a browser the live page that polls it: one file
	 * with its script and styles inline, exposed and secured as the endpoint is.
	 * @param format what the request accepts; {@code null} outside HTTP (JMX)
	 * @return the answer
	 */
	@ReadOperation(producesFrom = Format.class)
	public Object telemetry(@Nullable Format format) {
		if (format == null) {
			return telemetry();
		}
		return new WebEndpointResponse<>((format == Format.HTML) ? this.page.obtain() : telemetry(), format);
	}

	// Read once, on the first request for it.
	private static String readPage() {
		try {
			return new ClassPathResource("dashboard.html", TelemetryEndpoint.class)
				.getContentAsString(StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("The telemetry page is missing from the starter's jar", ex);
		}
	}

	/**
	 * Everything the endpoint knows, as JSON.
	 * @return the descriptor
	 */
	public TelemetryDescriptor telemetry() {
		List<EventDescriptor> events = this.statistics.events();
		List<String> unhandled = events.stream()
			// Not the starter's own telemetry.* events (the poller's, handler failures): nobody needs to handle them.
			.filter((event) -> event.handlers().isEmpty() && event.source().equals(EventCatalog.APPLICATION)
					&& !event.name().startsWith("telemetry."))
			.map(EventDescriptor::name)
			.toList();
		DiagnosticsDescriptor diagnostics = new DiagnosticsDescriptor(unhandled, this.statistics.silentHandlers(),
				this.methods.unadvisable(), this.statistics.catalog(), this.methods.expressionFailures().summary());
		List<AnnotatedMethodDescriptor> annotated = this.methods.methods()
			.stream()
			.map((method) -> new AnnotatedMethodDescriptor(method.prefix().toString(),
					method.method().getDeclaringClass().getName() + "." + method.method().getName(), method.span()))
			.sorted(Comparator.comparing(AnnotatedMethodDescriptor::method))
			.toList();
		return new TelemetryDescriptor(this.enabled, this.statistics.handlers(), events, annotated,
				this.metrics.statistics(), diagnostics, (this.export != null) ? this.export.snapshot() : null);
	}

	/**
	 * One handler in full.
	 * @param handlerId the handler id
	 * @return the handler, or {@code null} (404) for an unknown id
	 */
	@ReadOperation
	public @Nullable HandlerDescriptor handler(@Selector String handlerId) {
		return this.statistics.handlers()
			.stream()
			.filter((handler) -> handler.id().equals(handlerId))
			.findFirst()
			.orElse(null);
	}

	/**
	 * What {@code GET /actuator/telemetry} can answer: a browser's {@code Accept} names
	 * {@code text/html}, so it gets the page; any other client the JSON.
	 */
	public enum Format implements Producible<Format> {

		/** Actuator's own JSON type, the default. */
		ACTUATOR_JSON("application/vnd.spring-boot.actuator.v3+json"),

		/** Plain JSON. */
		JSON("application/json"),

		/** The live page. */
		HTML("text/html");

		private final MimeType mimeType;

		Format(String mimeType) {
			this.mimeType = MimeType.valueOf(mimeType);
		}

		@Override
		public MimeType getProducedMimeType() {
			return this.mimeType;
		}

		@Override
		public boolean isDefault() {
			return this == ACTUATOR_JSON;
		}

	}

}
