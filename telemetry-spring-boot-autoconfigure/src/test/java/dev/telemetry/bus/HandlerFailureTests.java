package dev.telemetry.bus;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.telemetry.EventName;
import dev.telemetry.TelemetryEventBus;
import dev.telemetry.TelemetryHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

@ExtendWith(OutputCaptureExtension.class)
class HandlerFailureTests {

	private static final EventName STOP = EventName.parse("shop.checkout.stop");

	private static final EventName FAILURE = EventName.parse(TelemetryEventBus.HANDLER_FAILURE_EVENT);

	private static final TelemetryHandler FAILING = (e, m, md, c) -> {
		throw new IllegalStateException("boom");
	};

	private final DefaultTelemetryEventBus bus = new DefaultTelemetryEventBus();

	private final DefaultTelemetryEventBus keepingBus = new DefaultTelemetryEventBus(
			HandlerFailurePolicy.KEEP, Duration.ofHours(1), TraceSpans.NONE, BusRecorder.NONE);

	// A handler that throws never reaches the caller, and the handlers around it still run.
	@Test
	void failureNeverReachesCallerAndOthersRun() {
		RecordingHandler before = new RecordingHandler();
		RecordingHandler after = new RecordingHandler();
		this.bus.attach("before", STOP, before, null);
		this.bus.attach("failing", STOP, FAILING, null);
		this.bus.attach("after", STOP, after, null);
		assertThatNoException().isThrownBy(() -> this.bus.execute(STOP, Map.of(), Map.of()));
		assertThat(before.received).hasSize(1);
		assertThat(after.received).hasSize(1);
	}

	// By default the failing handler is detached from all its events.
	@Test
	void detachesFailingHandlerFromAllEvents() {
		EventName other = EventName.parse("shop.payment.stop");
		this.bus.attachMany("failing", List.of(STOP, other), FAILING, null);
		this.bus.execute(STOP, Map.of(), Map.of());
		assertThat(this.bus.listHandlers()).isEmpty();
	}

	// The failure is reported as a telemetry.handler.failure event with the documented keys.
	@Test
	void emitsFailureEvent() {
		RecordingHandler failures = new RecordingHandler();
		this.bus.attach("failures", FAILURE, failures, null);
		this.bus.attach("failing", STOP, FAILING, "its-config");
		this.bus.execute(STOP, Map.of(), Map.of());
		RecordingHandler.Received received = failures.only();
		assertThat(received.measurements()).containsOnlyKeys("monotonic_time", "system_time");
		assertThat(received.metadata()).containsEntry("event_name", STOP)
			.containsEntry("handler_id", "failing")
			.containsEntry("handler_config", "its-config")
			.containsEntry("kind", IllegalStateException.class.getName())
			.containsEntry("reason", "boom");
		assertThat((String) received.metadata().get("stacktrace")).contains("IllegalStateException: boom")
			.contains(HandlerFailureTests.class.getName());
	}

	// One ERROR is logged when a handler is detached, naming it and the event.
	@Test
	void logsOneErrorPerDetach(CapturedOutput output) {
		this.bus.attach("failing", STOP, FAILING, null);
		this.bus.execute(STOP, Map.of(), Map.of());
		this.bus.execute(STOP, Map.of(), Map.of());
		assertThat(output.getOut().lines().filter((line) -> line.contains("ERROR"))).singleElement()
			.asString()
			.contains("'failing'")
			.contains("shop.checkout.stop")
			.contains("detached");
	}

	// With 'keep' the handler stays attached and each failure is still reported as an event.
	@Test
	void keepPolicyKeepsHandlerAttached() {
		RecordingHandler failures = new RecordingHandler();
		AtomicInteger calls = new AtomicInteger();
		this.keepingBus.attach("failures", FAILURE, failures, null);
		this.keepingBus.attach("failing", STOP, (e, m, md, c) -> {
			calls.incrementAndGet();
			throw new IllegalStateException("boom");
		}, null);
		for (int i = 0; i < 5; i++) {
			this.keepingBus.execute(STOP, Map.of(), Map.of());
		}
		assertThat(calls).hasValue(5);
		assertThat(failures.received).hasSize(5);
		assertThat(this.keepingBus.listHandlers()).hasSize(2);
	}

	// With 'keep' failures are logged at a bounded rate, not once per failure.
	@Test
	void keepPolicyLogsAtBoundedRate(CapturedOutput output) {
		this.keepingBus.attach("failing", STOP, FAILING, null);
		for (int i = 0; i < 50; i++) {
			this.keepingBus.execute(STOP, Map.of(), Map.of());
		}
		assertThat(output.getOut().lines().filter((line) -> line.contains("WARN"))).singleElement()
			.asString()
			.contains("'failing'")
			.contains("keep");
	}

	// A handler of the failure event that fails itself does not start an endless loop.
	@Test
	void failingFailureHandlerDoesNotLoop() {
		AtomicInteger failureCalls = new AtomicInteger();
		this.keepingBus.attach("bad-failures", FAILURE, (e, m, md, c) -> {
			failureCalls.incrementAndGet();
			throw new IllegalStateException("also boom");
		}, null);
		this.keepingBus.attach("failing", STOP, FAILING, null);
		this.keepingBus.execute(STOP, Map.of(), Map.of());
		assertThat(failureCalls).hasValue(1);
	}

	// An Error thrown by a handler (not only exceptions) is contained too.
	@Test
	void containsErrors() {
		RecordingHandler after = new RecordingHandler();
		this.bus.attach("asserting", STOP, (e, m, md, c) -> {
			throw new AssertionError("bad");
		}, null);
		this.bus.attach("after", STOP, after, null);
		assertThatNoException().isThrownBy(() -> this.bus.execute(STOP, Map.of(), Map.of()));
		assertThat(after.received).hasSize(1);
	}

}
