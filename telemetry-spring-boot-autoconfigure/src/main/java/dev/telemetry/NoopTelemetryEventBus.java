package dev.telemetry;

import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * {@link TelemetryEventBus#NOOP}: nothing is attached and nothing is emitted. It is its own span,
 * the one that {@link #startSpan} answers.
 *
 * @author telemetry-spring-boot
 */
final class NoopTelemetryEventBus implements TelemetryEventBus, TelemetrySpan {

	private final TelemetrySpanContext context = TelemetrySpanContext.create();

	@Override
	public void execute(EventName event, Map<String, ? extends Number> measurements, Map<String, ?> metadata) {
	}

	@Override
	public void execute(String event, Map<String, ? extends Number> measurements, Map<String, ?> metadata) {
	}

	@Override
	public boolean isListened(EventName event) {
		return false;
	}

	@Override
	public void attachMany(String handlerId, Collection<EventName> events, TelemetryHandler handler,
			@Nullable Object config) {
	}

	@Override
	public boolean detach(String handlerId) {
		return false;
	}

	@Override
	public List<AttachedHandler> listHandlers() {
		return List.of();
	}

	@Override
	public TelemetrySpan startSpan(EventName prefix, Map<String, ?> startMetadata, boolean traced) {
		return this;
	}

	@Override
	public TelemetrySpanContext context() {
		return this.context;
	}

	@Override
	public Scope makeCurrent() {
		return Scope.NOOP;
	}

	@Override
	public void stop(Map<String, ? extends Number> measurements, Map<String, ?> stopMetadata) {
	}

	@Override
	public void exception(Throwable failure, Map<String, ?> stopMetadata) {
	}

}
