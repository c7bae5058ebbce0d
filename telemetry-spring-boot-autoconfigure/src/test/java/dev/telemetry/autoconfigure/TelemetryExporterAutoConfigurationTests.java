package dev.telemetry.autoconfigure;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.telemetry.actuate.TelemetryEndpoint;
import dev.telemetry.tracing.SpanExportShutdown;
import dev.telemetry.tracing.SpanExportStatistics;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.aot.AotDetector;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.micrometer.tracing.brave.autoconfigure.BraveAutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.SpanExporters;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.otlp.OtlpTracingAutoConfiguration;
import org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.SpringProperties;
import org.springframework.core.task.TaskExecutor;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class TelemetryExporterAutoConfigurationTests {

	private final RecordingExporter exporter = new RecordingExporter();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OpenTelemetrySdkAutoConfiguration.class,
				ObservationAutoConfiguration.class, MicrometerTracingAutoConfiguration.class,
				OpenTelemetryTracingAutoConfiguration.class, TaskExecutionAutoConfiguration.class,
				TelemetryAutoConfiguration.class, TelemetryTracingAutoConfiguration.class,
				TelemetryExporterAutoConfiguration.class, TelemetryEndpointAutoConfiguration.class))
		.withPropertyValues("management.tracing.sampling.probability=1.0",
				"management.endpoints.web.exposure.include=telemetry")
		.withBean("recordingExporter", SpanExporter.class, () -> this.exporter);

	// Boot's exporters are counted, drops are heard, and the endpoint and meters show the counts.
	@Test
	void countsExportsIntoEndpointAndMeters() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(SpanExportStatistics.class)
				.hasSingleBean(SdkMeterProvider.class)
				.hasSingleBean(SpanExportShutdown.class);
			Tracer tracer = context.getBean(Tracer.class);
			tracer.nextSpan().name("checkout").start().end();
			tracer.nextSpan().name("payment").start().end();
			context.getBean(SdkTracerProvider.class).forceFlush().join(10, TimeUnit.SECONDS);
			SpanExportStatistics.Snapshot exporter = context.getBean(TelemetryEndpoint.class).telemetry().exporter();
			assertThat(exporter).isNotNull();
			assertThat(exporter.exporters()).singleElement().satisfies((recording) -> {
				assertThat(recording.name()).isEqualTo("RecordingExporter");
				assertThat(recording.exported()).isEqualTo(2);
				assertThat(recording.lastSuccess()).isNotNull();
			});
			assertThat(exporter.exported()).isEqualTo(2);
			assertThat(exporter.sampler()).contains("TraceIdRatioBased{1.000000}");
			assertThat(exporter.failed()).isZero();
			assertThat(exporter.dropped()).isZero();
			assertThat(exporter.lastSuccess()).isNotNull();
			SimpleMeterRegistry registry = new SimpleMeterRegistry();
			context.getBean(MeterBinder.class).bindTo(registry);
			assertThat(registry.get("telemetry.exporter.spans")
				.tags("exporter", "RecordingExporter", "outcome", "exported")
				.functionCounter()
				.count()).isEqualTo(2);
			assertThat(registry.get("telemetry.exporter.spans.dropped").functionCounter().count()).isZero();
		});
	}

	// Boot hands the starter's meter provider to the batch span processor, which reports its drops
	// there: the endpoint and the meter count them.
	@Test
	void hearsTheDropsOfBootsBatchProcessor() {
		CountDownLatch exporting = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		this.contextRunner
			.withPropertyValues("management.opentelemetry.tracing.export.max-queue-size=2",
					"management.opentelemetry.tracing.export.max-batch-size=1",
					"management.opentelemetry.tracing.export.schedule-delay=1ms")
			.withBean("slowExporter", SpanExporter.class, () -> new RecordingExporter() {
				@Override
				public CompletableResultCode export(Collection<SpanData> batch) {
					exporting.countDown();
					awaitUninterruptibly(release);
					return super.export(batch);
				}
			})
			.run((context) -> {
				Tracer tracer = context.getBean(Tracer.class);
				tracer.nextSpan().name("first").start().end();
				awaitUninterruptibly(exporting);
				for (int i = 0; i < 10; i++) {
					tracer.nextSpan().name("flood").start().end();
				}
				release.countDown();
				// One span is in the blocked export and two fit in the queue: eight are dropped.
				assertThat(context.getBean(TelemetryEndpoint.class).telemetry().exporter().dropped()).isEqualTo(8);
				SimpleMeterRegistry registry = new SimpleMeterRegistry();
				context.getBean(MeterBinder.class).bindTo(registry);
				assertThat(registry.get("telemetry.exporter.spans.dropped").functionCounter().count()).isEqualTo(8);
			});
	}

	// With an application MeterProvider, Boot hands that one to the processor: drops are theirs,
	// and shown as unknown rather than as zero.
	@Test
	void backsOffForAnApplicationMeterProvider() {
		this.contextRunner.withBean("appMeterProvider", MeterProvider.class, MeterProvider::noop).run((context) -> {
			assertThat(context).doesNotHaveBean(SdkMeterProvider.class);
			assertThat(context.getBean(TelemetryEndpoint.class).telemetry().exporter().dropped()).isNull();
			SimpleMeterRegistry registry = new SimpleMeterRegistry();
			context.getBean(MeterBinder.class).bindTo(registry);
			assertThat(registry.find("telemetry.exporter.spans.dropped").functionCounter()).isNull();
			assertThat(registry.find("telemetry.exporter.spans").functionCounters()).hasSize(2);
		});
	}

	// Switched off, nothing is wrapped or shown.
	@Test
	void canBeSwitchedOff() {
		this.contextRunner.withPropertyValues("telemetry.exporter.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(SpanExportStatistics.class).doesNotHaveBean(SdkMeterProvider.class);
			assertThat(context.getBean(SpanExporters.class).list()).containsExactly(this.exporter);
			assertThat(context.getBean(TelemetryEndpoint.class).telemetry().exporter()).isNull();
		});
	}

	// On close, with a 30 s schedule delay, a span ended by an @Async-style task still running on
	// the application executor is exported by the flush: the executor stops, finishing the task,
	// in an earlier lifecycle phase. Not on virtual threads: Boot's executor is then a
	// SimpleAsyncTaskExecutor that no lifecycle phase waits for (a known gap, in the README).
	@Test
	@DisabledIfSystemProperty(named = "spring.threads.virtual.enabled", matches = "true")
	void exportsSpansOfTasksStillRunningAtClose(CapturedOutput output) {
		CountDownLatch running = new CountDownLatch(1);
		this.contextRunner.withPropertyValues("management.opentelemetry.tracing.export.schedule-delay=30s")
			.run((context) -> {
				Tracer tracer = context.getBean(Tracer.class);
				tracer.nextSpan().name("request").start().end();
				context.getBean("applicationTaskExecutor", TaskExecutor.class).execute(() -> {
					running.countDown();
					sleep(500);
					tracer.nextSpan().name("fulfilment").start().end();
				});
				awaitUninterruptibly(running);
			});
		assertThat(this.exporter.spans).extracting(SpanData::getName)
			.containsExactlyInAnyOrder("request", "fulfilment");
		assertThat(output).contains("Exported the last 2 finished spans on shutdown");
	}

	// Spans exported with no service name are said once to be 'unknown_service', with how to name them;
	// a name from spring.application.name or from the resource attributes silences it.
	@Test
	void warnsWhenSpansAreExportedWithoutAServiceName(CapturedOutput output) {
		this.contextRunner.withPropertyValues("spring.application.name=shop")
			.run((context) -> assertThat(context).hasNotFailed());
		this.contextRunner.withPropertyValues("management.opentelemetry.resource-attributes.service.name=shop")
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output).doesNotContain("unknown_service");
		this.contextRunner.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output.getOut().lines().filter((line) -> line.contains("'unknown_service'"))).singleElement()
			.asString()
			.contains("WARN")
			.contains("spring.application.name");
	}

	// No exporter at all is said once, with the property to set, unless export is switched off.
	@Test
	void saysWhenNoExporterIsConfigured(CapturedOutput output) {
		ApplicationContextRunner noExporter = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(OpenTelemetrySdkAutoConfiguration.class,
					OpenTelemetryTracingAutoConfiguration.class, TelemetryExporterAutoConfiguration.class));
		noExporter.withPropertyValues("management.tracing.export.enabled=false")
			.run((context) -> assertThat(context.getBean(SpanExporters.class).list()).isEmpty());
		assertThat(output).doesNotContain("No span exporter");
		noExporter.run((context) -> assertThat(context.getBean(SpanExportStatistics.class).exporters()).isEmpty());
		assertThat(output).contains("No span exporter is configured")
			.contains("management.opentelemetry.tracing.export.otlp.endpoint");
	}

	// The endpoint shows the sampler, the first reason a trace is not exported: Boot's default keeps one in ten.
	@Test
	void showsTheSampler() {
		this.contextRunner.withPropertyValues("management.tracing.sampling.probability=0.1")
			.run((context) -> assertThat(context.getBean(TelemetryEndpoint.class).telemetry().exporter().sampler())
				.contains("TraceIdRatioBased{0.100000}"));
	}

	// Spring Boot 4.0 does not read OTEL_EXPORTER_OTLP_ENDPOINT: set without Boot's property, it gets a WARN
	// with the property to set instead of the INFO line that suggests the variable.
	@Test
	void saysWhenTheOtlpVariableIsNotRead(CapturedOutput output) {
		ApplicationContextRunner noExporter = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(OpenTelemetrySdkAutoConfiguration.class,
					OpenTelemetryTracingAutoConfiguration.class, TelemetryExporterAutoConfiguration.class));
		noExporter.withPropertyValues("OTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4318/")
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output.getOut().lines().filter((line) -> line.contains("OTEL_EXPORTER_OTLP_ENDPOINT is set")))
			.singleElement()
			.asString()
			.contains("WARN")
			.contains("management.opentelemetry.tracing.export.otlp.endpoint=http://collector:4318/v1/traces")
			.doesNotContain("No span exporter is configured");
		noExporter.withPropertyValues("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=http://collector:4318/traces")
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output).contains("endpoint=http://collector:4318/traces (as an environment variable");
	}

	// Under Spring AOT, an exporter Boot did not make at build time is not made by setting its endpoint at
	// run time: a WARN says so, where the JVM's normal run gets the INFO line.
	@Test
	void saysWhenAnEndpointSetOnlyAtRunTimeIsNotSeenUnderSpringAot(CapturedOutput output) {
		ApplicationContextRunner noExporter = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(OpenTelemetrySdkAutoConfiguration.class,
					OpenTelemetryTracingAutoConfiguration.class, TelemetryExporterAutoConfiguration.class))
			.withPropertyValues("management.opentelemetry.tracing.export.otlp.endpoint=http://collector:4318/v1/traces");
		noExporter.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output).doesNotContain("Spring AOT");
		SpringProperties.setFlag(AotDetector.AOT_ENABLED);
		try {
			noExporter.run((context) -> assertThat(context).hasNotFailed());
		}
		finally {
			SpringProperties.setProperty(AotDetector.AOT_ENABLED, null);
		}
		assertThat(output.getOut().lines().filter((line) -> line.contains("Spring AOT generated at build time")))
			.singleElement()
			.asString()
			.contains("WARN")
			.contains("management.opentelemetry.tracing.export.otlp.endpoint is set")
			.contains("for process-aot or the native build too");
	}

	// An OTLP endpoint without a path is sent to as it is, where a collector answers 404: said at start-up.
	@Test
	void warnsWhenTheOtlpEndpointHasNoPath(CapturedOutput output) {
		ApplicationContextRunner otlp = this.contextRunner
			.withConfiguration(AutoConfigurations.of(OtlpTracingAutoConfiguration.class))
			.withPropertyValues("spring.application.name=shop");
		otlp.withPropertyValues("management.opentelemetry.tracing.export.otlp.endpoint=http://localhost:4318/v1/traces")
			.run((context) -> assertThat(context.getBean(SpanExportStatistics.class).exporters()).hasSize(2));
		otlp.withPropertyValues("management.opentelemetry.tracing.export.otlp.endpoint=http://localhost:4317",
				"management.opentelemetry.tracing.export.otlp.transport=grpc")
			.run((context) -> assertThat(context.getBean(SpanExportStatistics.class).exporters()).hasSize(2));
		assertThat(output).doesNotContain("with no path");
		otlp.withPropertyValues("management.opentelemetry.tracing.export.otlp.endpoint=http://localhost:4318")
			.run((context) -> assertThat(context.getBean(SpanExportStatistics.class).exporters()).hasSize(2));
		assertThat(output.getOut().lines().filter((line) -> line.contains("with no path"))).singleElement()
			.asString()
			.contains("WARN")
			.contains("Set it to http://localhost:4318/v1/traces");
	}

	// With Brave's bridge beside OpenTelemetry's (what spring-boot-starter-zipkin brings), Brave records and
	// exports the spans: export watching backs off, and start-up says why instead of "no exporter".
	@Test
	void backsOffAndSaysWhyWhenBraveRecordsTheSpans(CapturedOutput output) {
		this.contextRunner.withConfiguration(AutoConfigurations.of(BraveAutoConfiguration.class)).run((context) -> {
			assertThat(context.getBean(Tracer.class)).isNotInstanceOf(OtelTracer.class);
			assertThat(context).doesNotHaveBean(SpanExportStatistics.class).doesNotHaveBean(SpanExportShutdown.class);
			assertThat(context.getBean(TelemetryEndpoint.class).telemetry().exporter()).isNull();
		});
		assertThat(output).contains("not by Micrometer's OpenTelemetry bridge")
			.contains("spring-boot-starter-zipkin")
			.doesNotContain("No span exporter is configured");
	}

	// A collector that never answers cannot hold shutdown past telemetry.exporter.shutdown-timeout:
	// without the bound, OpenTelemetry's own close would wait 10 s more.
	@Test
	void shutdownTimeoutBoundsAHungExport(CapturedOutput output) {
		long start = System.nanoTime();
		hungCollector("500ms").run((context) -> context.getBean(Tracer.class).nextSpan().name("request").start().end());
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
		assertThat(output).contains("still being exported after 500 ms (telemetry.exporter.shutdown-timeout)");
	}

	// A stop that a start follows (Lifecycle.stop, a restart) flushes within the bound but does not shut
	// OpenTelemetry down: spans are recorded after the start.
	@Test
	void stopAndStartLeaveTracingOn(CapturedOutput output) {
		hungCollector("200ms").run((context) -> {
				Tracer tracer = context.getBean(Tracer.class);
				tracer.nextSpan().name("before").start().end();
				context.stop();
				context.start();
				assertThat(tracer.nextSpan().name("after").start().context().traceId()).isNotEqualTo("0".repeat(32));
			});
		assertThat(output).contains("still being exported after 200 ms (telemetry.exporter.shutdown-timeout)");
	}

	// A child context flushes and shuts down no tracer provider of its parent's: closing it leaves the parent's running.
	@Test
	void childContextLeavesItsParentsTracerProvider() {
		this.contextRunner.run((parent) -> new ApplicationContextRunner().withParent(parent)
			.withConfiguration(AutoConfigurations.of(TelemetryAutoConfiguration.class,
					TelemetryExporterAutoConfiguration.class))
			.run((child) -> {
				assertThat(child).hasNotFailed();
				assertThat(child.getBeanNamesForType(SpanExportShutdown.class)).isEmpty();
			}));
	}

	// Tracing to an exporter that never answers, a span export delay longer than any test, and this shutdown timeout.
	private static ApplicationContextRunner hungCollector(String shutdownTimeout) {
		CompletableResultCode never = new CompletableResultCode();
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(OpenTelemetrySdkAutoConfiguration.class,
					ObservationAutoConfiguration.class, MicrometerTracingAutoConfiguration.class,
					OpenTelemetryTracingAutoConfiguration.class, TelemetryAutoConfiguration.class,
					TelemetryTracingAutoConfiguration.class, TelemetryExporterAutoConfiguration.class))
			.withPropertyValues("management.tracing.sampling.probability=1.0",
					"management.opentelemetry.tracing.export.schedule-delay=30s",
					"telemetry.exporter.shutdown-timeout=" + shutdownTimeout)
			.withBean("hungExporter", SpanExporter.class, () -> new RecordingExporter() {
				@Override
				public CompletableResultCode export(Collection<SpanData> batch) {
					return never;
				}
			});
	}

	private static void awaitUninterruptibly(CountDownLatch latch) {
		try {
			assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	static class RecordingExporter implements SpanExporter {

		final List<SpanData> spans = new CopyOnWriteArrayList<>();

		@Override
		public CompletableResultCode export(Collection<SpanData> batch) {
			this.spans.addAll(batch);
			return CompletableResultCode.ofSuccess();
		}

		@Override
		public CompletableResultCode flush() {
			return CompletableResultCode.ofSuccess();
		}

		@Override
		public CompletableResultCode shutdown() {
			return CompletableResultCode.ofSuccess();
		}

	}

}
