package dev.telemetry.autoconfigure;

import dev.telemetry.InvalidTelemetryDeclarationException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Prints an {@link InvalidTelemetryDeclarationException} as Spring Boot's start-up report
 * instead of a stack trace: where the declaration is, what is wrong and why, and the fix.
 *
 * @author telemetry-spring-boot
 */
class InvalidTelemetryDeclarationFailureAnalyzer extends AbstractFailureAnalyzer<InvalidTelemetryDeclarationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidTelemetryDeclarationException cause) {
		return new FailureAnalysis(cause.getDescription(), cause.getAction(), cause);
	}

}
