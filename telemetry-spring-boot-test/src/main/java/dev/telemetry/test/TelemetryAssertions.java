package dev.telemetry.test;

/**
 * The AssertJ entry point for recorded telemetry:
 * <pre class="code">
 * assertThat(recorder).within(Duration.ofSeconds(5))
 *     .emitted("shop.checkout.stop").once().withMeasurement("duration").withMetadata("customer_id", "c-42");
 * assertThat(recorder).trace(traceId).containsSpans("http post /checkout", "shop.checkout").isUnbroken();
 * </pre>
 * Import it statically beside AssertJ's {@code Assertions.assertThat}: the overload is picked by
 * the argument type.
 *
 * @author telemetry-spring-boot
 * @since 0.2.0
 */
public final class TelemetryAssertions {

	private TelemetryAssertions() {
	}

	/**
	 * Start assertions on what a recorder recorded.
	 * @param recorder the recorder
	 * @return the assertions
	 */
	public static RecorderAssert assertThat(TelemetryRecorder recorder) {
		return new RecorderAssert(recorder);
	}

}
