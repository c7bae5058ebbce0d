package dev.telemetry.metrics;

import java.util.List;

/**
 * Thrown at start-up when {@code telemetry.metrics} holds definitions that cannot work; each
 * problem names the property and the fix.
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
public class InvalidMetricDefinitionException extends RuntimeException {

	private final List<Problem> problems;

	/**
	 * Create an exception.
	 * @param problems what is wrong, at least one
	 */
	public InvalidMetricDefinitionException(List<Problem> problems) {
		super(describe(problems));
		this.problems = List.copyOf(problems);
	}

	private static String describe(List<Problem> problems) {
		StringBuilder message = new StringBuilder("Invalid telemetry metric definitions:");
		for (Problem problem : problems) {
			message.append("\n  ").append(problem.property()).append(": ").append(problem.reason());
		}
		return message.toString();
	}

	/**
	 * What is wrong.
	 * @return the problems
	 */
	public List<Problem> getProblems() {
		return this.problems;
	}

	/**
	 * One thing wrong with a definition.
	 *
	 * @param property the property, e.g. {@code telemetry.metrics.orders.type}
	 * @param reason what is wrong
	 * @param fix how to fix it
	 */
	public record Problem(String property, String reason, String fix) {
	}

}
