package dev.telemetry.metrics;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns an {@link InvalidMetricDefinitionException} into a start-up report that names each
 * property and says how to fix it.
 *
 * @author telemetry-spring-boot
 */
class InvalidMetricDefinitionFailureAnalyzer extends AbstractFailureAnalyzer<InvalidMetricDefinitionException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidMetricDefinitionException cause) {
		StringBuilder description = new StringBuilder("The telemetry metrics in your configuration are not valid:\n");
		StringBuilder action = new StringBuilder("Update your application's configuration:\n");
		for (InvalidMetricDefinitionException.Problem problem : cause.getProblems()) {
			description.append("\n    Property: ").append(problem.property()).append("\n    Reason:   ")
				.append(problem.reason()).append('\n');
			action.append("\n    ").append(problem.property()).append(": ").append(problem.fix());
		}
		return new FailureAnalysis(description.toString(), action.toString(), cause);
	}

}
