package dev.telemetry.tracing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Filter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.exporter.zipkin.ZipkinSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.SpanExporters;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link SpanExportStatistics}, {@link CountingSpanExporter},
 * {@link SpanExportersPostProcessor} and {@link SpanDropsMeterProvider}, against the SDK's real
 * {@link BatchSpanProcessor} and OTLP exporter.
 */
@ExtendWith(OutputCaptureExtension.class)
class SpanExportTests {

	private final List<AutoCloseable> closeables = new ArrayList<>();

	/** Strong references to the loggers that carry a recording handler. */
	private final List<Logger> loggers = new ArrayList<>();

	@AfterEach
	void close() throws Exception {
		for (AutoCloseable closeable : this.closeables) {
			closeable.close();
		}
	}

	// Exported spans are counted with the time of the last success; nothing is logged.
	@Test
	void countsExportedSpans(CapturedOutput output) {
		SpanExportStatistics statistics = new SpanExportStatistics(Duration.ZERO);
		InMemorySpanExporter memory = InMemorySpanExporter.create();
		Tracer tracer = tracer(batch(new CountingSpanExporter(memory, statistics)));
		end(tracer, 3);
		await().atMost(Duration.ofSeconds(5)).until(() -> statistics.exported() == 3);
		assertThat(memory.getFinishedSpanItems()).hasSize(3);
		assertThat(statistics.failed()).isZero();
		assertThat(statistics.lastSuccess()).isNotNull();
		assertThat(statistics.lastError()).isNull();
		assertThat(statistics.exporters()).extracting(SpanExportStatistics.Exporter::name)
			.containsExactly("InMemorySpanExporter");
		assertThat(statistics.inFlight()).isZero();
		assertThat(output).doesNotContain("Span export");
	}

	// A collector that refuses connections: the real OTLP exporter's failure is counted with its
	// cause, and OpenTelemetry's own per-batch line is filtered while the summary is logged.
	@Test
	void countsFailuresOfTheRealOtlpExporterAgainstAClosedPort(CapturedOutput output) throws Exception {
		SpanExportStatistics statistics = new SpanExportStatistics(Duration.ofHours(1));
		ExportLogFilter filter = new ExportLogFilter(statistics);
		this.closeables.add(filter::destroy);
		List<String> otelLines = recordOpenTelemetryLines();
		Tracer tracer = tracer(batch(new CountingSpanExporter(otlp(closedPort()).build(), statistics)));
		end(tracer, 2);
		await().atMost(Duration.ofSeconds(10)).until(() -> statistics.failed() == 2);
		end(tracer, 2);
		await().atMost(Duration.ofSeconds(10)).until(() -> statistics.failed() == 4);
		assertThat(statistics.exported()).isZero();
		assertThat(statistics.lastError()).isNotNull();
		assertThat(statistics.lastError().exporter()).isEqualTo("OtlpHttpSpanExporter");
		assertThat(statistics.lastError().error()).contains("ConnectException");
		assertThat(otelLines).as("lines OpenTelemetry logged past the filter").isEmpty();
		assertThat(output.toString().split("Span export is losing spans", -1)).as("one summary per interval")
			.hasSize(2);
		assertThat(output).contains("2 failed to export since the last report")
			.contains("Last error from OtlpHttpSpanExporter: java.net.ConnectException");
	}

	// A collector that answers with an error status: the status is the error, read through
	// OpenTelemetry's public response type; before OpenTelemetry 1.59 (Boot 4.0), which has none,
	// the exporter's exception is.
	@Test
	void namesTheStatusACollectorAnswersWith() throws Exception {
		HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		server.createContext("/v1/traces", (exchange) -> {
			exchange.getRequestBody().readAllBytes();
			exchange.sendResponseHeaders(503, -1);
			exchange.close();
		});
		server.start();
		this.closeables.add(() -> server.stop(0));
		SpanExportStatistics statistics = new SpanExportStatistics(Duration.ofHours(1));
		Tracer tracer = tracer(
				batch(new CountingSpanExporter(otlp(server.getAddress().getPort()).build(), statistics)));
		end(tracer, 1);
		await().atMost(Duration.ofSeconds(10)).until(() -> statistics.failed() == 1);
		String expected = CountingSpanExporter.describesResponses() ? "the collector answered HTTP 503"
				: "io.opentelemetry.exporter.internal.FailedExportException";
		assertThat(statistics.lastError().error()).startsWith(expected);
	}

	// The Zipkin exporter logs its failure's cause and returns none: the filtered line's cause
	// becomes the error.
	@Test
	void keepsTheCauseThatTheZipkinExporterOnlyLogs(CapturedOutput output) throws Exception {
		SpanExportStatistics statistics = new SpanExportStatistics(Duration.ofHours(1));
		ExportLogFilter filter = new ExportLogFilter(statistics);
		this.closeables.add(filter::destroy);
		List<String> otelLines = recordOpenTelemetryLines();
		ZipkinSpanExporter zipkin = ZipkinSpanExporter.builder()
			.setEndpoint("http://127.0.0.1:" + closedPort() + "/api/v2/spans")
			.build();
		Tracer tracer = tracer(batch(new CountingSpanExporter(zipkin, statistics)));
		end(tracer, 1);
		await().atMost(Duration.ofSeconds(10)).until(() -> statistics.failed() == 1);
		assertThat(statistics.lastError().exporter()).isEqualTo("ZipkinSpanExporter");
		assertThat(statistics.lastError().error()).contains("java.net.ConnectException");
		assertThat(otelLines).as("lines OpenTelemetry logged past the filter").isEmpty();
	}

	// A collector that accepts the connection and never answers: the export times out and is
	// counted as failed; until then its spans are in flight.
	@Test
	void countsAStalledCollectorAsFailed() throws Exception {
		ServerSocket stalled = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		List<Socket> accepted = new ArrayList<>();
		Thread acceptor = new Thread(() -> {
			try {
				while (true) {
					accepted.add(stalled.accept());
				}
			}
			catch (IOException ex) {
				// closed
			}
		});
		acceptor.setDaemon(true);
		acceptor.start();
		this.closeables.add(stalled);
		SpanExportStatistics statistics = new SpanExportStatistics(Duration.ZERO);
		OtlpHttpSpanExporter otlp = otlp(stalled.getLocalPort()).setTimeout(Duration.ofMillis(500)).build();
		// One batch of all 100, flushed by hand: on a timer, part of them could be exported on their
		// own while the loop still ends spans, and the rest would wait for that export's timeout.
		BatchSpanProcessor processor = BatchSpanProcessor.builder(new CountingSpanExporter(otlp, statistics))
			.setScheduleDelay(Duration.ofHours(1))
			.build();
		Tracer tracer = tracer(processor);
		end(tracer, 100);
		processor.forceFlush();
		await().atMost(Duration.ofSeconds(5)).until(() -> statistics.inFlight() == 100);
		await().atMost(Duration.ofSeconds(10)).until(() -> statistics.failed() == 100);
		assertThat(statistics.lastError().error()).containsIgnoringCase("timeout");
		assertThat(statistics.inFlight()).isZero();
	}

	// A full export queue drops spans; the drops reach the statistics through the meter provider
	// that Spring Boot hands the batch processor.
	@Test
	void countsSpansDroppedByAFullQueue(CapturedOutput output) throws Exception {
		SpanExportStatistics statistics = new SpanExportStatistics(Duration.ofHours(1));
		ExportLogFilter filter = new ExportLogFilter(statistics);
		this.closeables.add(filter::destroy);
		List<String> otelLines = recordOpenTelemetryLines();
		SpanDropsMeterProvider meterProvider = new SpanDropsMeterProvider(statistics);
		CountDownLatch release = new CountDownLatch(1);
		BlockingExporter blocking = new BlockingExporter(release);
		BatchSpanProcessor processor = BatchSpanProcessor.builder(new CountingSpanExporter(blocking, statistics))
			.setMaxQueueSize(4)
			.setMaxExportBatchSize(1)
			.setScheduleDelay(Duration.ofMillis(1))
			.setMeterProvider(meterProvider)
			.build();
		Tracer tracer = tracer(processor);
		end(tracer, 1);
		assertThat(blocking.started.await(5, TimeUnit.SECONDS)).isTrue();
		end(tracer, 10);
		// One span is in the blocked export and four fit in the queue: six are dropped.
		assertThat(statistics.dropped()).isEqualTo(6);
		release.countDown();
		await().atMost(Duration.ofSeconds(5)).until(() -> statistics.exported() == 5);
		// Drops are counted on the threads that end spans and reported by the next export.
		assertThat(output).contains("6 dropped because the export queue was full");
		assertThat(output.toString().split("Span export is losing spans", -1)).hasSize(2);
		assertThat(otelLines).as("lines OpenTelemetry logged past the filter").isEmpty();
	}

	// Without the meter provider, drops are not visible: reported as unknown, not as zero.
	@Test
	void dropsAreUnknownWithoutTheMeterProvider() {
		SpanExportStatistics statistics = new SpanExportStatistics(Duration.ZERO);
		assertThat(statistics.dropped()).isNull();
		new SpanDropsMeterProvider(statistics);
		assertThat(statistics.dropped()).isZero();
	}

	// An exporter that throws fails the batch instead of reaching the processor.
	@Test
	void countsAThrowingExporterAsFailed() {
		SpanExportStatistics statistics = new SpanExportStatistics(Duration.ZERO);
		SpanExporter throwing = new BlockingExporter(new CountDownLatch(0)) {
			@Override
			public CompletableResultCode export(Collection<SpanData> spans) {
				throw new IllegalStateException("encoder broke");
			}
		};
		CompletableResultCode result = new CountingSpanExporter(throwing, statistics).export(List.of());
		assertThat(result.isSuccess()).isFalse();
		assertThat(statistics.lastError().error()).isEqualTo("java.lang.IllegalStateException: encoder broke");
	}

	// After a failure has been reported, a success is reported once, also at the bounded rate.
	@Test
	void reportsRecoveryOnce(CapturedOutput output) {
		SpanExportStatistics statistics = new SpanExportStatistics(Duration.ZERO);
		SpanExportStatistics.Exporter otlp = statistics.register("OtlpHttpSpanExporter");
		otlp.exporting(19);
		otlp.failed(5, "java.net.ConnectException: refused");
		otlp.exported(7);
		otlp.exported(7);
		assertThat(output).contains("Span export is losing spans: 5 failed to export")
			.contains("Span export works again. Totals: OtlpHttpSpanExporter 7 exported, 5 failed");
		assertThat(output.toString().split("works again", -1)).hasSize(2);
	}

	// Drops alone, before any export ended, say nothing about export working again.
	@Test
	void reportsDropsWithoutClaimingRecovery(CapturedOutput output) {
		SpanExportStatistics statistics = new SpanExportStatistics(Duration.ZERO);
		SpanExportStatistics.Exporter zipkin = statistics.register("ZipkinSpanExporter");
		statistics.dropped(3);
		assertThat(output).as("nothing is logged on the thread that drops").doesNotContain("dropped because");
		zipkin.exported(1);
		assertThat(output).contains("Span export is losing spans: 3 dropped because the export queue was full")
			.doesNotContain("works again");
	}

	// The post-processor wraps Boot's exporter list once and keeps the exporters' order.
	@Test
	void wrapsSpringBootsExporterListOnce() {
		SpanExportStatistics statistics = new SpanExportStatistics(Duration.ZERO);
		SpanExportersPostProcessor postProcessor = new SpanExportersPostProcessor(() -> statistics, true, () -> null);
		InMemorySpanExporter first = InMemorySpanExporter.create();
		SpanExporter second = new BlockingExporter(new CountDownLatch(0));
		SpanExporters wrapped = (SpanExporters) postProcessor
			.postProcessAfterInitialization(SpanExporters.of(first, second), "spanExporters");
		assertThat(wrapped.list()).allMatch(CountingSpanExporter.class::isInstance);
		assertThat(wrapped.list().stream().map((exporter) -> ((CountingSpanExporter) exporter).delegate()))
			.containsExactly(first, second);
		assertThat(postProcessor.postProcessAfterInitialization(wrapped, "spanExporters")).isSameAs(wrapped);
		assertThat(postProcessor.postProcessAfterInitialization("other", "other")).isEqualTo("other");
	}

	// No exporter at all is said once, with the property to set.
	@Test
	void saysWhenNoExporterIsConfigured(CapturedOutput output) {
		SpanExporters none = SpanExporters.of(List.of());
		SpanExportersPostProcessor exportOff = new SpanExportersPostProcessor(
				() -> new SpanExportStatistics(Duration.ZERO), false, () -> null);
		assertThat(exportOff.postProcessAfterInitialization(none, "spanExporters")).isSameAs(none);
		assertThat(output).as("export switched off on purpose").doesNotContain("No span exporter");
		SpanExportersPostProcessor postProcessor = new SpanExportersPostProcessor(
				() -> new SpanExportStatistics(Duration.ZERO), true, () -> null);
		assertThat(postProcessor.postProcessAfterInitialization(none, "spanExporters")).isSameAs(none);
		assertThat(output).contains("No span exporter is configured")
			.contains("management.opentelemetry.tracing.export.otlp.endpoint");
	}

	// The filter removes only span export lines, and only while installed.
	@Test
	void filtersOnlySpanExportLines() {
		Logger logger = Logger.getLogger("io.opentelemetry.exporter.internal.http.HttpExporter");
		ExportLogFilter filter = new ExportLogFilter(new SpanExportStatistics(Duration.ZERO));
		LogRecord spans = new LogRecord(Level.SEVERE,
				"Failed to export spans. The request could not be executed.");
		LogRecord logs = new LogRecord(Level.SEVERE,
				"Failed to export logs. The request could not be executed.");
		assertThat(logger.getFilter().isLoggable(spans)).isFalse();
		assertThat(logger.getFilter().isLoggable(logs)).isTrue();
		filter.destroy();
		assertThat(logger.getFilter()).isNull();
	}

	// Two contexts closed in the order they opened: the filters stay while either lives and are
	// gone, leaving the logger as it was, when both have closed.
	@Test
	void filtersStayUntilTheLastContextCloses() {
		Logger logger = Logger.getLogger("io.opentelemetry.exporter.zipkin.ZipkinSpanExporter");
		Filter before = logger.getFilter();
		ExportLogFilter first = new ExportLogFilter(new SpanExportStatistics(Duration.ZERO));
		ExportLogFilter second = new ExportLogFilter(new SpanExportStatistics(Duration.ZERO));
		LogRecord spans = new LogRecord(Level.WARNING, "Failed to export spans");
		first.destroy();
		assertThat(logger.getFilter().isLoggable(spans)).as("the second context still filters").isFalse();
		second.destroy();
		assertThat(logger.getFilter()).isSameAs(before);
	}

	// Another exporter's logged cause is not taken for this one's.
	@Test
	void keepsLoggedCausesPerExporter() {
		SpanExportStatistics statistics = new SpanExportStatistics(Duration.ZERO);
		statistics.noteLoggedError("io.opentelemetry.exporter.zipkin.ZipkinSpanExporter", "java.net.ConnectException");
		SpanExporter failing = new BlockingExporter(new CountDownLatch(0)) {
			@Override
			public CompletableResultCode export(Collection<SpanData> spans) {
				return CompletableResultCode.ofFailure();
			}
		};
		new CountingSpanExporter(failing, statistics).export(List.of());
		assertThat(statistics.lastError().error()).startsWith("the exporter reported a failure without a cause");
	}

	// Two exporters, one dead: each has its own counts, and the live one's success does not hide
	// the dead one.
	@Test
	void countsEachExporterOnItsOwn(CapturedOutput output) {
		SpanExportStatistics statistics = new SpanExportStatistics(Duration.ZERO);
		SpanExportStatistics.Exporter otlp = statistics.register("OtlpHttpSpanExporter");
		SpanExportStatistics.Exporter zipkin = statistics.register("ZipkinSpanExporter");
		SpanExportStatistics.Exporter another = statistics.register("ZipkinSpanExporter");
		otlp.exported(3);
		zipkin.failed(3, "java.net.ConnectException");
		otlp.exported(3);
		assertThat(another.name()).isEqualTo("ZipkinSpanExporter#2");
		assertThat(otlp.exported()).isEqualTo(6);
		assertThat(zipkin.failed()).isEqualTo(3);
		assertThat(zipkin.lastSuccess()).isNull();
		assertThat(statistics.exported()).isEqualTo(6);
		assertThat(statistics.failed()).isEqualTo(3);
		assertThat(output).contains("Last error from ZipkinSpanExporter").doesNotContain("works again");
	}

	/**
	 * What OpenTelemetry's exporter loggers let through, seen by a handler on each logger (behind
	 * the filter), whatever the JVM's logging set-up.
	 */
	private List<String> recordOpenTelemetryLines() {
		List<String> lines = new CopyOnWriteArrayList<>();
		Handler handler = new Handler() {
			@Override
			public void publish(LogRecord record) {
				lines.add(record.getMessage());
			}

			@Override
			public void flush() {
			}

			@Override
			public void close() {
			}
		};
		for (String name : ExportLogFilter.REPLACED.keySet()) {
			Logger logger = Logger.getLogger(name);
			logger.addHandler(handler);
			this.loggers.add(logger);
			this.closeables.add(() -> logger.removeHandler(handler));
		}
		return lines;
	}

	private BatchSpanProcessor batch(SpanExporter exporter) {
		return BatchSpanProcessor.builder(exporter).setScheduleDelay(Duration.ofMillis(10)).build();
	}

	private Tracer tracer(BatchSpanProcessor processor) {
		SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(processor).build();
		this.closeables.add(() -> provider.shutdown().join(10, TimeUnit.SECONDS));
		return provider.get("test");
	}

	private static void end(Tracer tracer, int count) {
		for (int i = 0; i < count; i++) {
			tracer.spanBuilder("span-" + i).startSpan().end();
		}
	}

	/** The real OTLP exporter to a local port, without retries. */
	private static OtlpHttpSpanExporterBuilder otlp(int port) {
		return OtlpHttpSpanExporter.builder()
			.setEndpoint("http://127.0.0.1:" + port + "/v1/traces")
			.setRetryPolicy(null);
	}

	private static int closedPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	private static class BlockingExporter implements SpanExporter {

		final CountDownLatch started = new CountDownLatch(1);

		private final CountDownLatch release;

		BlockingExporter(CountDownLatch release) {
			this.release = release;
		}

		@Override
		public CompletableResultCode export(Collection<SpanData> spans) {
			this.started.countDown();
			try {
				this.release.await(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
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
