package dev.telemetry.bus;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LogRateLimiterTests {

	// The first call is let through; the next ones within the interval are held back.
	@Test
	void letsTheFirstThroughAndHoldsBackTheRest() {
		LogRateLimiter limiter = new LogRateLimiter(Duration.ofHours(1));
		assertThat(limiter.tryAcquire()).isZero();
		for (int i = 0; i < 5; i++) {
			assertThat(limiter.tryAcquire()).isEqualTo(-1);
		}
	}

	// Once the interval has passed, the call let through says how many were held back meanwhile.
	@Test
	void saysHowManyWereHeldBack() {
		LogRateLimiter limiter = new LogRateLimiter(Duration.ofMillis(20));
		assertThat(limiter.tryAcquire()).isZero();
		long heldBack = 0;
		long result;
		while ((result = limiter.tryAcquire()) < 0) {
			heldBack++;
		}
		assertThat(heldBack).isPositive();
		assertThat(result).isEqualTo(heldBack);
		assertThat(limiter.tryAcquire()).isEqualTo(-1);
	}

}
