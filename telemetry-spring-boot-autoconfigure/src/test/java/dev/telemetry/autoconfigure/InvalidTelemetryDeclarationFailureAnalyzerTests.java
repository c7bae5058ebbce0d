package dev.telemetry.autoconfigure;

import java.util.Map;

import dev.telemetry.InvalidTelemetryDeclarationException;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;

import static org.assertj.core.api.Assertions.assertThat;

class InvalidTelemetryDeclarationFailureAnalyzerTests {

	// Wrapped in Spring's bean creation failure, the problem is still found and becomes the report's description and action.
	@Test
	void analyzesWrappedProblem() {
		InvalidTelemetryDeclarationException problem = new InvalidTelemetryDeclarationException("Metric 'orders'",
				Map.of("Property", "telemetry.metrics.orders.type"), "type", "", "no type is set", "Set the type.");
		FailureAnalysis analysis = new InvalidTelemetryDeclarationFailureAnalyzer()
			.analyze(new BeanCreationException("telemetryMetrics", "Instantiation failed", problem));
		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription()).isEqualTo(problem.getDescription()).contains("Reason:    no type is set");
		assertThat(analysis.getAction()).isEqualTo("Set the type.");
		assertThat(analysis.getCause()).isSameAs(problem);
	}

}
