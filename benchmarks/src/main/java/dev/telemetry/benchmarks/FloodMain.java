package dev.telemetry.benchmarks;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.management.ObjectName;

import dev.telemetry.TelemetryEventBus;
import dev.telemetry.actuate.TelemetryDescriptor;
import dev.telemetry.actuate.TelemetryDescriptor.EventDescriptor;
import dev.telemetry.actuate.TelemetryEndpoint;
import dev.telemetry.metrics.MetricStatisticsSource.MetricStatistics;
import dev.telemetry.tracing.SpanExportStatistics;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.sdk.trace.SdkTracerProvider;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Floods a Spring Boot 4.1 application that uses the starter (tracing on, every trace sampled,
 * Boot's metrics, the {@code telemetry} endpoint) with distinct event names, tag values, span
 * attribute values and handler ids, in rounds, and after each round prints the heap in use after a
 * full GC with what the starter holds: a markdown table row. Every round adds as many new names and
 * values as the first; if the starter kept any of them, the heap would climb round after round.
 * The log goes to {@code target/flood/flood.log}, which does not roll over: Logback keeps a status
 * message about each roll, and that is not the starter's memory.
 * <p>
 * Run it with a fixed heap ({@code benchmarks/load/flood.sh}). {@code --flood.rounds},
 * {@code --flood.per-round} and {@code --flood.threads} change the defaults (5, 200,000, 2);
 * {@code --flood.histograms=true} also writes the live class histogram after each round to
 * {@code target/flood/histogram-<round>.txt}, to find what grows if the heap does.
 */
public final class FloodMain {

	private FloodMain() {
	}

	/**
	 * Boot the application, flood it round after round, and print one table row per round.
	 * @param args Spring Boot arguments ({@code --name=value}), including the {@code flood.*} ones
	 * @throws Exception if the application fails or a flood thread throws
	 */
	public static void main(String[] args) throws Exception {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Application.class)
			.web(WebApplicationType.NONE)
			.properties("management.tracing.sampling.probability=1.0",
					"management.endpoints.web.exposure.include=health,telemetry",
					"telemetry.metrics[flood.orders].event=flood.order.placed",
					"telemetry.metrics[flood.orders].type=counter", "telemetry.metrics[flood.orders].tags=customer",
					"telemetry.metrics[flood.checkout.duration].event=flood.checkout.stop",
					"telemetry.metrics[flood.checkout.duration].measurement=duration",
					"telemetry.metrics[flood.checkout.duration].type=summary",
					"telemetry.metrics[flood.checkout.duration].unit=nanoseconds",
					"telemetry.metrics[flood.checkout.duration].tags=order_id", "logging.threshold.console=off",
					"logging.file.name=target/flood/flood.log",
					"logging.logback.rollingpolicy.max-file-size=1GB", "spring.main.banner-mode=off")
			.run(args)) {
			Environment environment = context.getEnvironment();
			int rounds = environment.getProperty("flood.rounds", Integer.class, 5);
			long perRound = environment.getProperty("flood.per-round", Long.class, 200_000L);
			int threads = environment.getProperty("flood.threads", Integer.class, 2);
			boolean histograms = environment.getProperty("flood.histograms", Boolean.class, false);
			Flood flood = new Flood(context.getBean(TelemetryEventBus.class));
			System.out.println("| round | events emitted | heap used after full GC (MiB) | event catalog: names "
					+ "(overflow emissions) | metric series in use | meters in registry | handlers shown |");
			System.out.println("| --- | --- | --- | --- | --- | --- | --- |");
			printRow(context, 0);
			if (histograms) {
				writeHistogram(0);
			}
			ExecutorService executor = Executors.newFixedThreadPool(threads);
			try {
				for (int round = 1; round <= rounds; round++) {
					flood(executor, flood, (round - 1) * perRound, round * perRound, threads);
					printRow(context, round);
					if (histograms) {
						writeHistogram(round);
					}
				}
			}
			finally {
				executor.shutdown();
			}
			SpanExportStatistics export = context.getBean(SpanExportStatistics.class);
			System.out.printf(Locale.ROOT,
					"%nHandler calls %,d; handler failures reported %,d; spans exported %,d, dropped by the full "
							+ "export queue %,d; longest string attribute exported: %d chars%n",
					flood.handled(), flood.failures(), export.snapshot().exported(), export.dropped(),
					context.getBean(AttributeLengthExporter.class).longestAttribute());
		}
	}

	private static void flood(ExecutorService executor, Flood flood, long from, long to, int threads)
			throws Exception {
		List<Future<?>> parts = new ArrayList<>();
		long size = (to - from) / threads;
		for (int t = 0; t < threads; t++) {
			long start = from + t * size;
			long end = (t == threads - 1) ? to : start + size;
			parts.add(executor.submit(() -> flood.run(start, end)));
		}
		for (Future<?> part : parts) {
			part.get();
		}
	}

	private static void printRow(ConfigurableApplicationContext context, int round) throws Exception {
		// Spans still queued for export are not what the starter keeps: send them first.
		context.getBean(SdkTracerProvider.class).forceFlush().join(10, TimeUnit.SECONDS);
		long heap = heapAfterFullGc();
		TelemetryDescriptor telemetry = context.getBean(TelemetryEndpoint.class).telemetry();
		TelemetryDescriptor.EventCatalogDescriptor catalog = telemetry.diagnostics().eventCatalog();
		long emitted = catalog.overflowEmissions();
		for (EventDescriptor event : telemetry.events()) {
			emitted += event.count();
		}
		StringBuilder series = new StringBuilder();
		for (MetricStatistics metric : telemetry.metrics()) {
			series.append((series.length() > 0) ? ", " : "")
				.append(metric.name())
				.append(' ')
				.append(metric.seriesInUse())
				.append('/')
				.append(metric.maxSeries());
		}
		System.out.printf(Locale.ROOT, "| %d | %,d | %.1f | %,d/%,d (%,d) | %s | %d | %d |%n", round, emitted,
				heap / (1024.0 * 1024.0), catalog.size(), catalog.maxEvents(), catalog.overflowEmissions(), series,
				context.getBean(MeterRegistry.class).getMeters().size(), telemetry.handlers().size());
	}

	private static long heapAfterFullGc() throws InterruptedException {
		for (int i = 0; i < 2; i++) {
			System.gc();
			Thread.sleep(200);
		}
		return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
	}

	/**
	 * Write what {@code jcmd GC.class_histogram} prints: live objects, so after a full GC.
	 */
	private static void writeHistogram(int round) throws Exception {
		Object histogram = ManagementFactory.getPlatformMBeanServer()
			.invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
					new Object[] { new String[0] }, new String[] { String[].class.getName() });
		Files.writeString(Path.of("target/flood/histogram-" + round + ".txt"), histogram.toString());
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Application {

		@Bean
		AttributeLengthExporter attributeLengthExporter() {
			return new AttributeLengthExporter();
		}

	}

}
