package dev.telemetry.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.telemetry.EventName;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.convert.DurationStyle;

/**
 * Checks configured metrics and turns them into {@link MetricDefinition}s, collecting every
 * problem so that one start-up shows them all.
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
public final class MetricDefinitions {

	private static final String PREFIX = "telemetry.metrics.";

	private MetricDefinitions() {
	}

	/**
	 * Check configured metrics.
	 * @param specs the metrics as configured
	 * @param defaultMaxSeries the series cap of metrics that set none
	 * @return the definitions, in the order given
	 * @throws InvalidMetricDefinitionException naming every property that is wrong
	 */
	public static List<MetricDefinition> check(List<MetricSpec> specs, int defaultMaxSeries) {
		List<InvalidMetricDefinitionException.Problem> problems = new ArrayList<>();
		List<MetricDefinition> definitions = new ArrayList<>();
		for (MetricSpec spec : specs) {
			MetricDefinition definition = check(spec, defaultMaxSeries, problems);
			if (definition != null) {
				definitions.add(definition);
			}
		}
		if (!problems.isEmpty()) {
			throw new InvalidMetricDefinitionException(problems);
		}
		return definitions;
	}

	private static @Nullable MetricDefinition check(MetricSpec spec, int defaultMaxSeries,
			List<InvalidMetricDefinitionException.Problem> problems) {
		int before = problems.size();
		String property = PREFIX + spec.name();
		EventName event = event(spec, property, problems);
		MetricType type = type(spec, property, problems);
		MetricUnit unit = unit(spec, property, problems);
		String measurement = blankToNull(spec.measurement());
		if (type != null && type != MetricType.COUNTER && measurement == null) {
			problems.add(new InvalidMetricDefinitionException.Problem(property + ".measurement",
					"a " + type.configName() + " needs a measurement",
					"name the measurement to record, e.g. 'measurement: duration'"));
		}
		for (Double percentile : spec.percentiles()) {
			if (percentile == null || percentile <= 0 || percentile >= 1) {
				problems.add(new InvalidMetricDefinitionException.Problem(property + ".percentiles",
						"percentile " + percentile + " is outside (0, 1)", "use values such as 0.5, 0.95, 0.99"));
			}
		}
		if (!spec.percentiles().isEmpty() && type != null && type != MetricType.SUMMARY
				&& type != MetricType.DISTRIBUTION) {
			problems.add(new InvalidMetricDefinitionException.Problem(property + ".percentiles",
					"a " + type.configName() + " has no percentiles", "use type 'summary' or 'distribution'"));
		}
		Integer maxSeries = spec.maxSeries();
		if (maxSeries != null && maxSeries < 1) {
			problems.add(new InvalidMetricDefinitionException.Problem(property + ".max-series",
					"must be at least 1, is " + maxSeries, "set a positive number of tag sets, e.g. 100"));
		}
		double[] slo = slo(spec, property, unit, problems);
		if (problems.size() > before) {
			return null;
		}
		boolean histogram = (spec.histogram() != null) ? spec.histogram() : type == MetricType.DISTRIBUTION;
		return new MetricDefinition(spec.name(), event, measurement, type, unit, List.copyOf(spec.tags()),
				blankToNull(spec.description()),
				spec.percentiles().stream().mapToDouble(Double::doubleValue).toArray(), histogram, slo,
				(maxSeries != null) ? maxSeries : defaultMaxSeries);
	}

	private static @Nullable EventName event(MetricSpec spec, String property,
			List<InvalidMetricDefinitionException.Problem> problems) {
		String event = blankToNull(spec.event());
		if (event == null) {
			problems.add(new InvalidMetricDefinitionException.Problem(property + ".event", "no event is set",
					"name the event to measure, e.g. 'event: shop.checkout.stop'. If the meter name has dots, write "
							+ "its key in brackets, e.g. telemetry.metrics[shop.checkout.duration].event or, in YAML, "
							+ "'\"[shop.checkout.duration]\":'; without them the name is split at the dots"));
			return null;
		}
		try {
			return EventName.parse(event.trim());
		}
		catch (IllegalArgumentException ex) {
			problems.add(new InvalidMetricDefinitionException.Problem(property + ".event", ex.getMessage(),
					"use dotted segments of letters, digits, '_' and '-', a '*' segment or a last '**'"));
			return null;
		}
	}

	private static @Nullable MetricType type(MetricSpec spec, String property,
			List<InvalidMetricDefinitionException.Problem> problems) {
		String value = blankToNull(spec.type());
		MetricType type = (value != null) ? MetricType.of(value) : null;
		if (type == null) {
			problems.add(new InvalidMetricDefinitionException.Problem(property + ".type",
					(value != null) ? "unknown type '" + value + "'" : "no type is set",
					"use one of " + Arrays.stream(MetricType.values()).map(MetricType::configName).toList()));
		}
		return type;
	}

	private static MetricUnit unit(MetricSpec spec, String property,
			List<InvalidMetricDefinitionException.Problem> problems) {
		String value = blankToNull(spec.unit());
		if (value == null) {
			return MetricUnit.NONE;
		}
		MetricUnit unit = MetricUnit.of(value);
		if (unit == null) {
			problems.add(new InvalidMetricDefinitionException.Problem(property + ".unit", "unknown unit '" + value + "'",
					"use one of " + Arrays.stream(MetricUnit.values()).map(MetricUnit::configName).toList()));
			return MetricUnit.NONE;
		}
		return unit;
	}

	private static double[] slo(MetricSpec spec, String property, MetricUnit unit,
			List<InvalidMetricDefinitionException.Problem> problems) {
		double[] slo = new double[spec.slo().size()];
		for (int i = 0; i < slo.length; i++) {
			String value = spec.slo().get(i).trim();
			try {
				slo[i] = Double.parseDouble(value);
			}
			catch (NumberFormatException notANumber) {
				try {
					Duration duration = DurationStyle.detectAndParse(value);
					if (!unit.isTime()) {
						throw new IllegalArgumentException("a duration needs a time unit");
					}
					slo[i] = duration.toNanos() / (double) unit.timeUnit().toNanos(1);
				}
				catch (IllegalArgumentException ex) {
					problems.add(new InvalidMetricDefinitionException.Problem(property + ".slo",
							"'" + value + "' is neither a number nor a duration for a time unit",
							"use numbers in the metric's unit, or durations such as 100ms with a time unit"));
				}
			}
		}
		return slo;
	}

	private static @Nullable String blankToNull(@Nullable String value) {
		return (value == null || value.isBlank()) ? null : value;
	}

}
