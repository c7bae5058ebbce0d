package dev.telemetry.metrics;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class MetricDefinitionsTests {

	private static MetricSpec spec(String name, String event, String measurement, String type, String unit,
			List<Double> percentiles) {
		return new MetricSpec(name, event, measurement, type, unit, List.of(), null, percentiles, null, List.of(), null);
	}

	private static InvalidMetricDefinitionException.Problem onlyProblem(MetricSpec spec) {
		InvalidMetricDefinitionException ex = org.junit.jupiter.api.Assertions.assertThrows(
				InvalidMetricDefinitionException.class, () -> MetricDefinitions.check(List.of(spec), 100));
		assertThat(ex.getProblems()).hasSize(1);
		return ex.getProblems().get(0);
	}

	// A misspelt type names the property and lists the types.
	@Test
	void unknownType() {
		InvalidMetricDefinitionException.Problem problem = onlyProblem(
				spec("orders", "shop.checkout.stop", null, "countr", null, List.of()));
		assertThat(problem.property()).isEqualTo("telemetry.metrics.orders.type");
		assertThat(problem.reason()).contains("'countr'");
		assertThat(problem.fix()).contains("counter", "sum", "last-value", "summary", "distribution");
	}

	// An unknown unit names the property and lists the units.
	@Test
	void unknownUnit() {
		InvalidMetricDefinitionException.Problem problem = onlyProblem(
				spec("latency", "shop.checkout.stop", "duration", "summary", "hours", List.of()));
		assertThat(problem.property()).isEqualTo("telemetry.metrics.latency.unit");
		assertThat(problem.fix()).contains("nanoseconds", "milliseconds", "bytes");
	}

	// A missing or bad event name names the event property.
	@Test
	void missingOrBadEvent() {
		assertThat(onlyProblem(spec("orders", null, null, "counter", null, List.of())).property())
			.isEqualTo("telemetry.metrics.orders.event");
		InvalidMetricDefinitionException.Problem bad = onlyProblem(spec("orders", "shop checkout", null, "counter", null,
				List.of()));
		assertThat(bad.property()).isEqualTo("telemetry.metrics.orders.event");
		assertThat(bad.reason()).contains("shop checkout");
	}

	// A percentile outside (0, 1) names the percentiles property.
	@Test
	void percentileOutOfRange() {
		InvalidMetricDefinitionException.Problem problem = onlyProblem(
				spec("latency", "shop.checkout.stop", "duration", "distribution", "nanoseconds", List.of(0.5, 99.0)));
		assertThat(problem.property()).isEqualTo("telemetry.metrics.latency.percentiles");
		assertThat(problem.reason()).contains("99.0");
	}

	// Every type but counter needs a measurement.
	@Test
	void measurementRequired() {
		assertThat(onlyProblem(spec("total", "shop.checkout.stop", null, "sum", null, List.of())).property())
			.isEqualTo("telemetry.metrics.total.measurement");
	}

	// Every problem of every metric is reported at once.
	@Test
	void reportsAllProblems() {
		InvalidMetricDefinitionException ex = org.junit.jupiter.api.Assertions.assertThrows(
				InvalidMetricDefinitionException.class,
				() -> MetricDefinitions.check(List.of(spec("a", null, null, "countr", null, List.of()),
						spec("b", "x.y", "d", "summary", "lightyears", List.of())), 100));
		assertThat(ex.getProblems()).extracting(InvalidMetricDefinitionException.Problem::property)
			.containsExactly("telemetry.metrics.a.event", "telemetry.metrics.a.type", "telemetry.metrics.b.unit");
		assertThat(ex.getMessage()).contains("telemetry.metrics.a.type", "telemetry.metrics.b.unit");
	}

	// The failure analyzer names each property in the description and its fix in the action.
	@Test
	void failureAnalysis() {
		InvalidMetricDefinitionException ex = org.junit.jupiter.api.Assertions.assertThrows(
				InvalidMetricDefinitionException.class,
				() -> MetricDefinitions.check(List.of(spec("orders", "shop.checkout.stop", null, "countr", null,
						List.of())), 100));
		org.springframework.boot.diagnostics.FailureAnalysis analysis = new InvalidMetricDefinitionFailureAnalyzer()
			.analyze(new IllegalStateException("wrapped", ex));
		assertThat(analysis.getDescription()).contains("telemetry.metrics.orders.type").contains("'countr'");
		assertThat(analysis.getAction()).contains("telemetry.metrics.orders.type").contains("last-value");
	}

	// A valid definition keeps its settings; a distribution has histogram buckets by default.
	@Test
	void validDefinition() {
		List<MetricDefinition> definitions = MetricDefinitions.check(List.of(new MetricSpec("latency",
				"shop.checkout.stop", "duration", "distribution", "nanoseconds", List.of("outcome"), "d",
				List.of(0.99), null, List.of("100ms", "250"), 7)), 100);
		MetricDefinition definition = definitions.get(0);
		assertThat(definition.type()).isEqualTo(MetricType.DISTRIBUTION);
		assertThat(definition.unit()).isEqualTo(MetricUnit.NANOSECONDS);
		assertThat(definition.histogram()).isTrue();
		assertThat(definition.slo()).containsExactly(100_000_000.0, 250.0);
		assertThat(definition.maxSeries()).isEqualTo(7);
	}

}
