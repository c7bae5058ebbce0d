package dev.telemetry.bus;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.telemetry.EventName;
import dev.telemetry.TelemetryHandler;
import org.jspecify.annotations.Nullable;

/**
 * A handler that keeps a copy of every event it receives.
 */
final class RecordingHandler implements TelemetryHandler {

	final List<Received> received = new CopyOnWriteArrayList<>();

	@Override
	public void handleEvent(EventName event, Map<String, Number> measurements, Map<String, Object> metadata,
			@Nullable Object config) {
		this.received.add(new Received(event, Map.copyOf(measurements), new java.util.HashMap<>(metadata), config));
	}

	List<EventName> events() {
		return this.received.stream().map(Received::event).toList();
	}

	Received only() {
		org.assertj.core.api.Assertions.assertThat(this.received).hasSize(1);
		return this.received.get(0);
	}

	record Received(EventName event, Map<String, Number> measurements, Map<String, Object> metadata,
			@Nullable Object config) {
	}

}
