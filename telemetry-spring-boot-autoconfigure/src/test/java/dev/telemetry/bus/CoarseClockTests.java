package dev.telemetry.bus;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.telemetry.TelemetryEventBus;
import dev.telemetry.autoconfigure.TelemetryAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The clock thread lives while a bus uses it.
 */
class CoarseClockTests {

	// The thread starts with the first user and stops with the last; extra releases are ignored.
	@Test
	void tickerRunsWhileItHasUsers() {
		AtomicInteger ticks = new AtomicInteger();
		CoarseClock.Ticker ticker = new CoarseClock.Ticker("test-ticker", Duration.ofMillis(5),
				ticks::incrementAndGet);
		assertThat(ticker.retain()).isTrue();
		assertThat(ticker.retain()).isFalse();
		await().atMost(Duration.ofSeconds(5)).until(() -> ticks.get() > 2);
		assertThat(threadAlive("test-ticker")).isTrue();
		assertThat(ticker.release()).isFalse();
		assertThat(ticker.isRunning()).isTrue();
		assertThat(ticker.release()).isTrue();
		assertThat(ticker.release()).isFalse();
		assertThat(ticker.users()).isZero();
		assertThat(ticker.isRunning()).isFalse();
		await().atMost(Duration.ofSeconds(5)).until(() -> !threadAlive("test-ticker"));
		assertThat(ticker.retain()).as("it starts again").isTrue();
		ticker.release();
	}

	// A bus retains the shared clock once and releases it once, however often it is closed.
	@Test
	void busRetainsTheClockUntilClosed() {
		int before = CoarseClock.users();
		DefaultTelemetryEventBus bus = new DefaultTelemetryEventBus();
		assertThat(CoarseClock.users()).isEqualTo(before + 1);
		bus.close();
		bus.close();
		assertThat(CoarseClock.users()).isEqualTo(before);
	}

	// A closed bus still works: once no bus holds the clock, its thread stops and times come from
	// the system clock, not from the last tick. Buses that other tests left open are let go of
	// meanwhile, so that the thread really stops.
	@Test
	void closedBusStillRecordsTimes() throws InterruptedException {
		DefaultTelemetryEventBus bus = new DefaultTelemetryEventBus();
		bus.close();
		int others = CoarseClock.users();
		for (int i = 0; i < others; i++) {
			CoarseClock.release();
		}
		try {
			// Longer than a tick: a clock that kept its last tick would now be behind.
			Thread.sleep(1500);
			long before = System.currentTimeMillis();
			bus.execute("shop.checkout.stop", Map.of(), Map.of());
			assertThat(bus.events()).singleElement()
				.satisfies((event) -> assertThat(event.lastSeen().toEpochMilli()).isGreaterThanOrEqualTo(before));
		}
		finally {
			for (int i = 0; i < others; i++) {
				CoarseClock.retain();
			}
		}
	}

	// Closing the Spring context closes its bus and releases the clock.
	@Test
	void contextCloseReleasesTheClock() {
		int before = CoarseClock.users();
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(TelemetryAutoConfiguration.class))
			.run((context) -> {
				assertThat(context.getBean(TelemetryEventBus.class)).isInstanceOf(DefaultTelemetryEventBus.class);
				assertThat(CoarseClock.users()).isEqualTo(before + 1);
			});
		assertThat(CoarseClock.users()).isEqualTo(before);
	}

	private static boolean threadAlive(String name) {
		return Thread.getAllStackTraces().keySet().stream().anyMatch((thread) -> thread.getName().equals(name));
	}

}
