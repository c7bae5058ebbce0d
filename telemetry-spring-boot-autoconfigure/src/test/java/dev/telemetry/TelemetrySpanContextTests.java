package dev.telemetry;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TelemetrySpanContextTests {

	// A context keeps the number it drew first, and two contexts draw different positive numbers.
	@Test
	void idIsStablePositiveAndDiffersAcrossContexts() {
		TelemetrySpanContext first = TelemetrySpanContext.create();
		TelemetrySpanContext second = TelemetrySpanContext.of("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331");
		assertThat(first.id()).isPositive().isEqualTo(first.id()).isNotEqualTo(second.id());
		assertThat(first).hasToString("span#" + first.id());
		assertThat(second).hasToString("span#" + second.id() + "[0af7651916cd43dd8448eb211c80319c/b7ad6b7169203331]");
	}

}
