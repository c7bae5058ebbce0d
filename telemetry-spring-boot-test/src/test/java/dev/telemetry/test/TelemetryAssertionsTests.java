package dev.telemetry.test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.telemetry.TelemetrySpanContext;
import dev.telemetry.bus.DefaultTelemetryEventBus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static dev.telemetry.test.TelemetryAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class TelemetryAssertionsTests {

	private final DefaultTelemetryEventBus bus = new DefaultTelemetryEventBus();

	private final TelemetryRecorder recorder = TelemetryRecorder.attach(this.bus);

	@AfterEach
	void close() {
		this.recorder.close();
	}

	// An event that was emitted as expected passes every check.
	@Test
	void passesOnWhatWasEmitted() {
		checkout("c-42", "trace-a");
		assertThat(this.recorder).emitted("shop.checkout.stop")
			.once()
			.withMeasurement("duration")
			.withMetadata("customer_id", "c-42")
			.withMetadata("cart_size", 2L)
			.allInOneTrace();
		assertThat(this.recorder).emitted("shop.checkout.*").times(2);
		assertThat(this.recorder).notEmitted("shop.checkout.exception");
	}

	// A misspelt name fails with what was emitted, and suggests the near miss.
	@Test
	void missedNameListsEmittedNamesAndSuggestsTheNearMiss() {
		checkout("c-42", "trace-a");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(this.recorder).emitted("shop.chekout.stop"))
			.withMessageContaining("Expected an event named 'shop.chekout.stop', but none was emitted.")
			.withMessageContaining("Did you mean 'shop.checkout.stop'?")
			.withMessageContaining("shop.checkout.start: 1")
			.withMessageContaining("shop.checkout.stop: 1");
	}

	// A count that differs fails with the events that were emitted.
	@Test
	void wrongCountListsTheEvents() {
		checkout("c-42", "trace-a");
		checkout("c-43", "trace-b");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(this.recorder).emitted("shop.checkout.stop").once())
			.withMessageContaining("Expected 1 event named 'shop.checkout.stop', but 2 were emitted:")
			.withMessageContaining("trace trace-b");
	}

	// A missing measurement names the event and the measurements it has.
	@Test
	void missingMeasurementShowsWhatTheEventHas() {
		checkout("c-42", "trace-a");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(this.recorder).emitted("shop.checkout.stop").withMeasurement("total"))
			.withMessageContaining("to have the measurement 'total', but 1 of 1 did not")
			.withMessageContaining("its measurements are {duration=120}");
	}

	// A renamed metadata key names the key that is missing and the keys there are.
	@Test
	void missingMetadataKeyShowsTheKeysThereAre() {
		checkout("c-42", "trace-a");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(this.recorder).emitted("shop.checkout.stop").withMetadata("customer", "c-42"))
			.withMessageContaining("to have metadata customer=c-42, but 1 of 1 did not")
			.withMessageContaining("it has no key 'customer'; its metadata keys are [customer_id, cart_size, "
					+ "telemetry_span_context]");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(this.recorder).emitted("shop.checkout.stop").withMetadata("customer_id", "c-1"))
			.withMessageContaining("it has customer_id=c-42");
	}

	// Events in two traces fail with each trace's events and threads.
	@Test
	void eventsInTwoTracesListEachTraceWithItsThreads() throws Exception {
		checkout("c-42", "trace-a");
		Thread worker = new Thread(() -> checkout("c-42", "trace-b"), "worker-7");
		worker.start();
		worker.join();
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(this.recorder).emitted("shop.**").allInOneTrace())
			.withMessageContaining("Expected the 4 events matching 'shop.**' in one trace, but they are not:")
			.withMessageContaining("trace trace-a: shop.checkout.start (thread '" + Thread.currentThread().getName()
					+ "'), shop.checkout.stop")
			.withMessageContaining("trace trace-b: shop.checkout.start (thread 'worker-7')");
	}

	// An event that was not expected fails with the events.
	@Test
	void notEmittedFailsWithTheEvents() {
		checkout("c-42", "trace-a");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(this.recorder).notEmitted("shop.checkout.stop"))
			.withMessageContaining("Expected no event named 'shop.checkout.stop', but 1 was emitted");
	}

	// within() waits for an event that another thread emits later.
	@Test
	void withinWaitsForAsynchronousEvents() {
		CountDownLatch go = new CountDownLatch(1);
		CompletableFuture<Void> later = CompletableFuture.runAsync(() -> {
			await(go);
			checkout("c-42", "trace-a");
		});
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(this.recorder).emitted("shop.checkout.stop"));
		go.countDown();
		assertThat(this.recorder).within(Duration.ofSeconds(10)).emitted("shop.checkout.stop").once();
		later.join();
	}

	// within() makes notEmitted watch the whole time: an event another thread emits meanwhile fails it.
	@Test
	void withinMakesNotEmittedWatchTheWholeTime() {
		CompletableFuture<Void> later = CompletableFuture.runAsync(() -> {
			LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
			checkout("c-42", "trace-a");
		});
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(this.recorder).within(Duration.ofSeconds(10)).notEmitted("shop.checkout.stop"))
			.withMessageContaining("Expected no event named 'shop.checkout.stop', but 1 was emitted");
		later.join();
	}

	// When the time is up, the failure says how long it waited.
	@Test
	void withinSaysHowLongItWaited() {
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(this.recorder).within(Duration.ofMillis(50)).emitted("shop.checkout.stop"))
			.withMessageContaining("Nothing was emitted at all on this bus")
			.withMessageEndingWith("(after waiting 50ms)");
	}

	// A recorder attached by hand has no spans, and trace assertions say why.
	@Test
	void traceAssertionsNeedSpans() {
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(this.recorder).trace("trace-a").containsSpans("shop.checkout"))
			.withMessageContaining("TelemetryRecorder.attach(...) records events only");
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> assertThat(this.recorder).trace(null))
			.withMessageContaining("The trace id is null");
	}

	private void checkout(String customerId, String traceId) {
		Map<String, Object> metadata = new LinkedHashMap<>();
		metadata.put("customer_id", customerId);
		metadata.put("cart_size", 2);
		metadata.put(TelemetrySpanContext.METADATA_KEY, TelemetrySpanContext.of(traceId, "00f067aa0ba902b7"));
		this.bus.execute("shop.checkout.start", Map.of("system_time", 1L), metadata);
		this.bus.execute("shop.checkout.stop", Map.of("duration", 120L), metadata);
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
