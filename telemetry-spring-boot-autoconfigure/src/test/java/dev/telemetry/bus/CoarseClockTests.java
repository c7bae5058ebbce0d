package dev.telemetry.bus;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import dev.telemetry.TelemetryEventBus;
import dev.telemetry.autoconfigure.TelemetryAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The clock thread lives while a bus uses it. Other tests in this JVM may leave buses open, so
 * the checks are relative to the number of users found at the start.
 */
class CoarseClockTests {

	// A bus retains the clock once and releases it once, however often it is closed; the last
	// release stops the thread.
	@Test
	void busRetainsTheClockUntilClosed() {
		int before = CoarseClock.users();
		DefaultTelemetryEventBus bus = new DefaultTelemetryEventBus();
		assertThat(CoarseClock.users()).isEqualTo(before + 1);
		assertThat(CoarseClock.isTicking()).isTrue();
		bus.close();
		bus.close();
		assertThat(CoarseClock.users()).isEqualTo(before);
		assertThat(CoarseClock.isTicking()).isEqualTo(before > 0);
		if (before == 0) {
			await().atMost(Duration.ofSeconds(5)).until(() -> Thread.getAllStackTraces()
				.keySet()
				.stream()
				.noneMatch((thread) -> thread.getName().equals("telemetry-coarse-clock")));
		}
	}

	// A closed bus still works, on the system clock.
	@Test
	void closedBusStillRecordsTimes() {
		DefaultTelemetryEventBus bus = new DefaultTelemetryEventBus();
		bus.close();
		bus.execute("shop.checkout.stop", Map.of(), Map.of());
		assertThat(bus.events()).singleElement()
			.satisfies((event) -> assertThat(event.lastSeen()).isAfter(Instant.now().minusSeconds(5)));
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

}
