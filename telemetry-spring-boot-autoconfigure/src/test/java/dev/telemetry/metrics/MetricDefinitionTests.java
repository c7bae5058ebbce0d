package dev.telemetry.metrics;

import java.util.List;
import java.util.Map;

import dev.telemetry.InvalidTelemetryDeclarationException;
import dev.telemetry.metrics.MetricDefinition.Type;
import dev.telemetry.metrics.MetricDefinition.Unit;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class MetricDefinitionTests {

	private static MetricDefinition definition(String event, String measurement, Type type) {
		return new MetricDefinition(event, measurement, type, Unit.NONE, List.of(), null, null);
	}

	private static InvalidTelemetryDeclarationException onlyProblem(String name, MetricDefinition definition) {
		assertThat(definition.problems(name)).hasSize(1);
		return definition.problems(name).get(0);
	}

	// A missing type names the property and lists the types as they are written.
	@Test
	void missingType() {
		InvalidTelemetryDeclarationException problem = onlyProblem("orders", definition("shop.checkout.stop", null, null));
		assertThat(problem.getDescription()).contains("Property:  telemetry.metrics.orders.type");
		assertThat(problem.getDescription()).contains("Reason:    no type is set");
		assertThat(problem.getAction()).contains("[counter, sum, last-value, summary, distribution]");
	}

	// A missing or bad event name names the event property, with the meter name in brackets when it has dots.
	@Test
	void missingOrBadEvent() {
		InvalidTelemetryDeclarationException missing = onlyProblem("orders", definition(null, null, Type.COUNTER));
		assertThat(missing.getDescription()).contains("Property:  telemetry.metrics.orders.event");
		assertThat(missing.getDescription()).contains("Reason:    no event is set");
		InvalidTelemetryDeclarationException bad = onlyProblem("shop.orders",
				definition("shop checkout", null, Type.COUNTER));
		assertThat(bad.getDescription()).contains("Property:  telemetry.metrics[shop.orders].event");
		assertThat(bad.getDescription()).contains(" = \"shop checkout\"");
		assertThat(bad.getDescription()).contains("'shop checkout' may only hold letters");
	}

	// Every type but counter needs a measurement.
	@Test
	void measurementRequired() {
		InvalidTelemetryDeclarationException problem = onlyProblem("total",
				definition("shop.checkout.stop", " ", Type.SUM));
		assertThat(problem.getDescription()).contains("Property:  telemetry.metrics.total.measurement");
		assertThat(problem.getDescription()).contains("Reason:    a sum needs a measurement");
		assertThat(definition("shop.checkout.stop", null, Type.COUNTER).problems("orders")).isEmpty();
	}

	// A series cap below one names the max-series property.
	@Test
	void maxSeriesMustBePositive() {
		MetricDefinition definition = new MetricDefinition("shop.checkout.stop", null, Type.COUNTER,
				Unit.NONE, List.of(), null, 0);
		assertThat(onlyProblem("orders", definition).getDescription()).contains("Property:  telemetry.metrics.orders.max-series");
	}

	// A default series cap below one names telemetry.metric-defaults.max-series.
	@Test
	void defaultMaxSeriesMustBePositive() {
		InvalidTelemetryDeclarationException ex = catchThrowableOfType(InvalidTelemetryDeclarationException.class,
				() -> new TelemetryMetrics(new dev.telemetry.bus.DefaultTelemetryEventBus(),
						new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), Map.of(), 0,
						dev.telemetry.Redaction.defaults()));
		assertThat(ex.getDescription()).contains("Property:  telemetry.metric-defaults.max-series")
			.contains("Reason:    it must be at least 1");
	}

	// Every problem of every metric is reported at once: the first is thrown, the others ride along and are shown too.
	@Test
	void reportsAllProblems() {
		InvalidTelemetryDeclarationException ex = catchThrowableOfType(InvalidTelemetryDeclarationException.class,
				() -> new TelemetryMetrics(new dev.telemetry.bus.DefaultTelemetryEventBus(),
						new io.micrometer.core.instrument.simple.SimpleMeterRegistry(),
						Map.of("a", definition(null, null, null)), 100, dev.telemetry.Redaction.of(dev.telemetry.Redaction.DEFAULT_KEYS)));
		assertThat(ex.getDescription()).contains("Property:  telemetry.metrics.a.event");
		assertThat(ex.getSuppressed()).hasSize(1);
		assertThat(ex.getDescription()).contains("Property:  telemetry.metrics.a.event", "Property:  telemetry.metrics.a.type");
		assertThat(ex.getAction()).contains("Set telemetry.metrics.a.event", "Set telemetry.metrics.a.type");
	}

}
