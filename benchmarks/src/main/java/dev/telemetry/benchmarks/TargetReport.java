package dev.telemetry.benchmarks;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;

/**
 * Runs the benchmarks with JMH's own command-line options, then prints every result and the
 * issue's targets as ratios within this one run, each with whether it is met. Run it with
 * {@code -prof gc} for the bytes per operation.
 *
 * @author telemetry-spring-boot
 */
public final class TargetReport {

	private static final String BUS = BusBenchmark.class.getName() + ".";

	private static final String ANNOTATION = AnnotationBenchmark.class.getName() + ".";

	/**
	 * Bytes per operation below this are JMH's rounding of no allocation at all.
	 */
	private static final double NO_ALLOCATION = 0.5;

	/**
	 * What "a few ns" per handler call means for the endpoint's counters.
	 */
	private static final double COUNTER_BUDGET_NS = 3.0;

	private final Map<String, Measured> measured;

	TargetReport(Map<String, Measured> measured) {
		this.measured = measured;
	}

	public static void main(String[] args) throws Exception {
		Collection<RunResult> results = new Runner(new CommandLineOptions(args)).run();
		Map<String, Measured> measured = new LinkedHashMap<>();
		for (RunResult result : results) {
			measured.put(result.getParams().getBenchmark(), Measured.of(result));
		}
		TargetReport report = new TargetReport(measured);
		System.out.println();
		report.results().forEach(System.out::println);
		System.out.println();
		report.targets().forEach(System.out::println);
	}

	/**
	 * Every benchmark of the run as a Markdown table.
	 */
	List<String> results() {
		List<String> lines = new ArrayList<>();
		lines.add("| benchmark | ns/op | B/op |");
		lines.add("| --- | --- | --- |");
		this.measured.forEach((name, result) -> lines.add(row("`" + shortName(name) + "`",
				format("%,.1f ± %,.1f", result.nanos(), result.error()),
				(result.bytes() != null) ? format("%,.0f", result.bytes()) : "run with -prof gc")));
		return lines;
	}

	/**
	 * {@code BusBenchmark.executeOneHandler} for {@code dev.telemetry.benchmarks.BusBenchmark.executeOneHandler}.
	 */
	private static String shortName(String benchmark) {
		return benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1);
	}

	/**
	 * The targets, measured in this run, as a Markdown table.
	 */
	List<String> targets() {
		List<String> lines = new ArrayList<>();
		lines.add("| target | measured | met |");
		lines.add("| --- | --- | --- |");
		String execute = BUS + "executeOneHandler";
		lines.add(faster("`execute` to one handler at least 20x faster than `publishEvent(ApplicationEvent)` "
				+ "to one `@EventListener`", BUS + "springPublishEventOneListener", execute, 20));
		lines.add(faster("the same, in a Boot application's context", ANNOTATION + "springPublishEventInBootContext",
				execute, 20));
		lines.add(faster("the same, against `publishEvent(record)`", BUS + "springPublishRecordOneListener", execute,
				20));
		lines.add(faster("the same, against `publishEvent(ApplicationEvent)`, a bus without the endpoint's statistics",
				BUS + "springPublishEventOneListener", BUS + "executeOneHandlerWithoutStatistics", 20));
		lines.add(noAllocation("0 B/op for `execute` with no handler", BUS + "executeNoHandler"));
		lines.add(noAllocation("0 B/op for `execute` with one handler", execute));
		lines.add(faster("`span` with one handler at least 2x faster than an `Observation` with one handler "
				+ "that reads no clock", BUS + "observationOneHandler", BUS + "spanOneHandler", 2));
		lines.add(faster("the same, the handler timing the observation as the span does",
				BUS + "observationOneTimingHandler", BUS + "spanOneHandler", 2));
		lines.add(faster("`bus.span` with a trace span at least 3x faster than an `Observation` in Boot's registry "
				+ "(tracing and meters), in the same Boot application", ANNOTATION + "observationInBootRegistry",
				ANNOTATION + "busSpanWithTraceSpan", 3));
		lines.add(faster("`@TelemetryEvent` with a span at least 5x cheaper than `@Observed`", ANNOTATION + "observed",
				ANNOTATION + "telemetryEventWithSpan", 5));
		lines.add(counters(execute, BUS + "executeOneHandlerWithoutStatistics"));
		return lines;
	}

	private String faster(String target, String peer, String ours, double ratio) {
		Measured peerResult = this.measured.get(peer);
		Measured ourResult = this.measured.get(ours);
		if (peerResult == null || ourResult == null) {
			return row(target, "not in this run", "?");
		}
		double measured = peerResult.nanos() / ourResult.nanos();
		return row(target, format("%.1fx (%,.1f / %,.1f ns)", measured, peerResult.nanos(), ourResult.nanos()),
				(measured >= ratio) ? "yes" : "no");
	}

	private String noAllocation(String target, String benchmark) {
		Measured result = this.measured.get(benchmark);
		if (result == null || result.bytes() == null) {
			return row(target, "not in this run, or without -prof gc", "?");
		}
		return row(target, format("%.2f B/op", result.bytes()), (result.bytes() < NO_ALLOCATION) ? "yes" : "no");
	}

	private String counters(String withCounters, String withoutCounters) {
		String target = "the endpoint's counters add at most " + format("%.0f", COUNTER_BUDGET_NS)
				+ " ns per `execute`";
		Measured on = this.measured.get(withCounters);
		Measured off = this.measured.get(withoutCounters);
		if (on == null || off == null) {
			return row(target, "not in this run", "?");
		}
		double added = on.nanos() - off.nanos();
		return row(target, format("%.1f ns (%,.1f - %,.1f)", added, on.nanos(), off.nanos()),
				(added <= COUNTER_BUDGET_NS) ? "yes" : "no");
	}

	private static String row(String target, String measured, String met) {
		return "| " + target + " | " + measured + " | " + met + " |";
	}

	private static String format(String format, Object... values) {
		return String.format(Locale.ROOT, format, values);
	}

	/**
	 * One benchmark's time and, with {@code -prof gc}, its allocation.
	 *
	 * @param nanos the mean time per operation
	 * @param error the 99.9% confidence half-width of the mean
	 * @param bytes bytes allocated per operation, or {@code null} without {@code -prof gc}
	 */
	record Measured(double nanos, double error, @Nullable Double bytes) {

		static Measured of(RunResult result) {
			Result<?> primary = result.getPrimaryResult();
			if (!"ns/op".equals(primary.getScoreUnit())) {
				throw new IllegalStateException(result.getParams().getBenchmark() + " reported "
						+ primary.getScoreUnit() + "; the targets are in ns/op (-bm avgt -tu ns)");
			}
			@Nullable Double bytes = null;
			for (Result<?> secondary : result.getSecondaryResults().values()) {
				if (secondary.getLabel().endsWith("gc.alloc.rate.norm")) {
					bytes = secondary.getScore();
				}
			}
			return new Measured(primary.getScore(), primary.getScoreError(), bytes);
		}

	}

}
