package dev.telemetry.test;

import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestExecutionListener;
import org.springframework.test.context.support.AbstractTestExecutionListener;

/**
 * Clears the {@link TelemetryRecorder} beans of the test's application context before each test
 * method, so that a test sees only what it caused (and what ran on its own meanwhile). Registered
 * in {@code META-INF/spring.factories} as a default {@link TestExecutionListener}.
 *
 * @author telemetry-spring-boot
 */
class TelemetryRecorderTestExecutionListener extends AbstractTestExecutionListener {

	@Override
	public void beforeTestMethod(TestContext testContext) {
		if (testContext.hasApplicationContext()) {
			testContext.getApplicationContext().getBeanProvider(TelemetryRecorder.class).forEach(TelemetryRecorder::clear);
		}
	}

}
