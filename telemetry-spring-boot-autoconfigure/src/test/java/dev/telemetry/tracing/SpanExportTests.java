package dev.telemetry.tracing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.exporter.zipkin.ZipkinSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.SpanExporters;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link SpanExportStatistics} and {@link CountingSpanExporter}, against the SDK's
 * real {@link BatchSpanProcessor}, meter provider and OTLP exporter.
 */
@ExtendWith(OutputCaptureExtension.class)
class SpanExportTests {

	private final List<AutoCloseable> closeables = new ArrayList<>();

	@AfterEach
	void close() throws Exception {
		for (AutoCloseable closeable : this.closeables) {
			closeable.close();
		}
	}

	// Exported spans are counted with the time of the last success; nothing is logged.
	@Test
	void countsExportedSpans(CapturedOutput output) {
		SpanExportStatistics statistics = new SpanExportStatistics(Duration.ZERO, () -> null);
		InMemorySpanExporter memory = InMemorySpanExporter.create();
		Tracer tracer = tracer(batch(statistics.wrap(memory)));
		end(tracer, 3);
		await().atMost(Duration.ofSeconds(5)).until(() -> statistics.snapshot().exported() == 3);
		assertThat(memory.getFinishedSpanItems()).hasSize(3);
		assertThat(statistics.snapshot().failed()).isZero();
		assertThat(statistics.snapshot().lastSuccess()).isNotNull();
		assertThat(statistics.snapshot().lastError()).isNull();
		assertThat(statistics.exporters()).extracting(CountingSpanExporter::name).containsExactly("InMemorySpanExporter");
		assertThat(output).doesNotContain("Span export");
	}

	// A collector that refuses connections: the real OTLP exporter's failure is counted with its
	// cause, and summed up in one line per interval.
	@Test
	void countsFailuresOfTheRealOtlpExporterAgainstAClosedPort(CapturedOutput output) throws Exception {
		SpanExportStatistics statistics = new SpanExportStatistics(Duration.ofHours(1), () -> null);
		Tracer tracer = tracer(batch(statistics.wrap(otlp(closedPort()).build())));
		end(tracer, 2);
		await().atMost(Duration.ofSeconds(10)).until(() -> statistics.snapshot().failed() == 2);
		end(tracer, 2);
		await().atMost(Duration.ofSeconds(10)).until(() -> statistics.snapshot().failed() == 4);
		assertThat(statistics.snapshot().exported()).isZero();
		assertThat(statistics.snapshot().lastError()).isNotNull();
		assertThat(statistics.snapshot().lastError().exporter()).isEqualTo("OtlpHttpSpanExporter");
		assertThat(statistics.snapshot().lastError().error()).contains("ConnectException");
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
		SpanExportStatistics statistics = new SpanExportStatistics(Duration.ofHours(1), () -> null);
		Tracer tracer = tracer(batch(statistics.wrap(otlp(server.getAddress().getPort()).build())));
		end(tracer, 1);
		await().atMost(Duration.ofSeconds(10)).until(() -> statistics.snapshot().failed() == 1);
		String expected = CountingSpanExporter.RESPONSES_PUBLIC ? "the collector answered HTTP 503"
				: "io.opentelemetry.exporter.internal.FailedExportException";
		assertThat(statistics.snapshot().lastError().error()).startsWith(expected);
	}

	// The Zipkin exporter logs its failure's cause and returns none: the failure is counted, and
	// the error says that the exporter gave no cause rather than invent one.
	@Test
	void countsFailuresOfTheZipkinExporterThatGivesNoCause() throws Exception {
		SpanExportStatistics statistics = new SpanExportStatistics(Duration.ofHours(1), () -> null);
		ZipkinSpanExporter zipkin = ZipkinSpanExporter.builder()
			.setEndpoint("http://127.0.0.1:" + closedPort() + "/api/v2/spans")
			.build();
		Tracer tracer = tracer(batch(statistics.wrap(zipkin)));
		end(tracer, 1);
		await().atMost(Duration.ofSeconds(10)).until(() -> statistics.snapshot().failed() == 1);
		assertThat(statistics.snapshot().lastError().exporter()).isEqualTo("ZipkinSpanExporter");
		assertThat(statistics.snapshot().lastError().error())
			.isEqualTo("the exporter gave no cause (it may have logged one)");
	}

	// A collector that accepts the connection and never answers: the export times out and is
	// counted as failed.
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
		SpanExportStatistics statistics = new SpanExportStatistics(Duration.ZERO, () -> null);
		OtlpHttpSpanExporter otlp = otlp(stalled.getLocalPort()).setTimeout(Duration.ofMillis(500)).build();
		// One batch of all 100, flushed by hand: on a timer, part of them could be exported on their
		// own while the loop still ends spans, and the rest would wait for that export's timeout.
		BatchSpanProcessor processor = BatchSpanProcessor.builder(statistics.wrap(otlp))
			.setScheduleDelay(Duration.ofHours(1))
			.build();
		Tracer tracer = tracer(processor);
		end(tracer, 100);
		processor.forceFlush();
		await().atMost(Duration.ofSeconds(10)).until(() -> statistics.snapshot().failed() == 100);
		assertThat(statistics.snapshot().lastError().error()).containsIgnoringCase("timeout");
		assertThat(statistics.snapshot().exported()).isZero();
	}

	// A full export queue drops spans; the drops reach the statistics through the SDK meter
	// provider that Spring Boot hands the batch processor.
	@Test
	void countsSpansDroppedByAFullQueue(CapturedOutput output) throws Exception {
		SpanExportStatistics statistics = new SpanExportStatistics(Duration.ofHours(1), () -> null);
		SdkMeterProvider meterProvider = statistics.createDropsMeterProvider();
		this.closeables.add(meterProvider);
		CountDownLatch release = new CountDownLatch(1);
		BlockingExporter blocking = new BlockingExporter(release);
		BatchSpanProcessor processor = BatchSpanProcessor.builder(statistics.wrap(blocking))
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
		await().atMost(Duration.ofSeconds(5)).until(() -> statistics.snapshot().exported() == 5);
		// Drops are counted on the threads that end spans and reported by the next export.
		assertThat(output).contains("6 dropped because the export queue was full");
		assertThat(output.toString().split("Span export is losing spans", -1)).hasSize(2);
	}

	// Drops recorded the semantic-convention way (OpenTelemetry's newer processor telemetry) are
	// heard too; other counters and other meters are not taken for drops.
	@Test
	void hearsDropsRecordedTheSemanticConventionWay() {
		SpanExportStatistics statistics = new SpanExportStatistics(Duration.ZERO, () -> null);
		SdkMeterProvider meterProvider = statistics.createDropsMeterProvider();
		this.closeables.add(meterProvider);
		Meter traceSdk = meterProvider.get("io.opentelemetry.sdk.trace");
		traceSdk.counterBuilder("otel.sdk.processor.span.processed")
			.build()
			.add(4, Attributes.of(AttributeKey.stringKey("error.type"), "queue_full"));
		traceSdk.counterBuilder("processedSpans").build().add(9, Attributes.of(AttributeKey.booleanKey("dropped"), false));
		meterProvider.get("io.opentelemetry.sdk.logs")
			.counterBuilder("processedLogs")
			.build()
			.add(5, Attributes.of(AttributeKey.booleanKey("dropped"), true));
		assertThat(statistics.dropped()).isEqualTo(4);
	}

	// Without the meter provider, drops are not visible: reported as unknown, not as zero.
	@Test
	void dropsAreUnknownWithoutTheMeterProvider() {
		SpanExportStatistics statistics = new SpanExportStatistics(Duration.ZERO, () -> null);
		assertThat(statistics.dropped()).isNull();
		this.closeables.add(statistics.createDropsMeterProvider());
		assertThat(statistics.dropped()).isZero();
	}

	// An exporter that throws fails the batch instead of reaching the processor.
	@Test
	void countsAThrowingExporterAsFailed() {
		SpanExportStatistics statistics = new SpanExportStatistics(Duration.ZERO, () -> null);
		SpanExporter throwing = new BlockingExporter(new CountDownLatch(0)) {
			@Override
			public CompletableResultCode export(Collection<SpanData> spans) {
				throw new IllegalStateException("encoder broke");
			}
		};
		CompletableResultCode result = statistics.wrap(throwing).export(List.of());
		assertThat(result.isSuccess()).isFalse();
		assertThat(statistics.snapshot().lastError().error())
			.isEqualTo("java.lang.IllegalStateException: encoder broke");
	}

	// After a failure has been reported, a success is reported once, also at the bounded rate.
	@Test
	void reportsRecoveryOnce(CapturedOutput output) {
		SpanExportStatistics statistics = new SpanExportStatistics(Duration.ZERO, () -> null);
		ScriptedExporter collector = new ScriptedExporter();
		SpanExporter counting = statistics.wrap(collector);
		collector.refuse(new ConnectException("refused"));
		counting.export(spans(5));
		collector.accept();
		counting.export(spans(7));
		counting.export(spans(7));
		assertThat(output).contains("Span export is losing spans: 5 failed to export")
			.contains("Last error from ScriptedExporter: java.net.ConnectException: refused")
			.contains("Span export works again. Totals: ScriptedExporter 7 exported, 5 failed");
		assertThat(output.toString().split("works again", -1)).hasSize(2);
	}

	// Drops alone, before any export ended, say nothing about export working again; nothing is
	// logged on the thread that drops.
	@Test
	void reportsDropsWithoutClaimingRecovery(CapturedOutput output) {
		SpanExportStatistics statistics = new SpanExportStatistics(Duration.ZERO, () -> null);
		SdkMeterProvider meterProvider = statistics.createDropsMeterProvider();
		this.closeables.add(meterProvider);
		SpanExporter counting = statistics.wrap(new ScriptedExporter());
		meterProvider.get("io.opentelemetry.sdk.trace")
			.counterBuilder("processedSpans")
			.build()
			.add(3, Attributes.of(AttributeKey.booleanKey("dropped"), true));
		assertThat(output).doesNotContain("dropped because");
		counting.export(spans(1));
		assertThat(output).contains("Span export is losing spans: 3 dropped because the export queue was full")
			.contains("Totals: ScriptedExporter 1 exported, 0 failed; 3 dropped")
			.doesNotContain("works again");
	}

	// With an interval, a dead collector is summed up once, however many batches fail.
	@Test
	void logsOneSummaryPerInterval(CapturedOutput output) {
		SpanExportStatistics statistics = new SpanExportStatistics(Duration.ofHours(1), () -> null);
		ScriptedExporter collector = new ScriptedExporter();
		SpanExporter counting = statistics.wrap(collector);
		collector.refuse(new ConnectException("refused"));
		for (int i = 0; i < 10; i++) {
			counting.export(spans(2));
		}
		assertThat(output.toString().split("Span export is losing spans", -1)).hasSize(2);
		assertThat(output).contains("2 failed to export since the last report")
			.contains("next report in 60 min at the earliest");
		assertThat(statistics.snapshot().failed()).isEqualTo(20);
	}

	// Boot's exporter list is wrapped in its order, each exporter counted under its class name.
	@Test
	void wrapsSpringBootsExporterList() {
		SpanExportStatistics statistics = new SpanExportStatistics(Duration.ZERO, () -> null);
		SpanExporters wrapped = statistics
			.wrap(SpanExporters.of(InMemorySpanExporter.create(), new BlockingExporter(new CountDownLatch(0))));
		assertThat(wrapped.list()).allMatch(CountingSpanExporter.class::isInstance);
		assertThat(wrapped.list()).extracting((exporter) -> ((CountingSpanExporter) exporter).name())
			.containsExactly("InMemorySpanExporter", "BlockingExporter");
		assertThat(wrapped.list()).containsExactlyElementsOf(statistics.exporters());
	}

	// Two exporters, one dead: each has its own counts, and the live one's success does not hide
	// the dead one. Exporters of the same class get numbered names.
	@Test
	void countsEachExporterOnItsOwn(CapturedOutput output) {
		SpanExportStatistics statistics = new SpanExportStatistics(Duration.ZERO, () -> null);
		CountingSpanExporter live = statistics.wrap(new ScriptedExporter());
		ScriptedExporter deadCollector = new ScriptedExporter();
		CountingSpanExporter dead = statistics.wrap(deadCollector);
		deadCollector.refuse(new ConnectException("refused"));
		live.export(spans(3));
		dead.export(spans(3));
		live.export(spans(3));
		assertThat(statistics.exporters()).extracting(CountingSpanExporter::name)
			.containsExactly("ScriptedExporter", "ScriptedExporter#2");
		assertThat(live.snapshot().exported()).isEqualTo(6);
		assertThat(dead.snapshot().failed()).isEqualTo(3);
		assertThat(dead.snapshot().lastSuccess()).isNull();
		assertThat(live.snapshot().lastError()).isNull();
		assertThat(statistics.snapshot().exported()).isEqualTo(6);
		assertThat(statistics.snapshot().failed()).isEqualTo(3);
		assertThat(statistics.snapshot().lastError().exporter()).isEqualTo("ScriptedExporter#2");
		assertThat(output).contains("Last error from ScriptedExporter#2").doesNotContain("works again");
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

	private static List<SpanData> spans(int count) {
		return Collections.nCopies(count, (SpanData) null);
	}

	/** A collector that accepts every batch, or refuses it with a given cause. */
	private static final class ScriptedExporter implements SpanExporter {

		private volatile @Nullable Throwable refusal;

		void refuse(Throwable cause) {
			this.refusal = cause;
		}

		void accept() {
			this.refusal = null;
		}

		@Override
		public CompletableResultCode export(Collection<SpanData> spans) {
			Throwable refusal = this.refusal;
			return (refusal != null) ? CompletableResultCode.ofExceptionalFailure(refusal)
					: CompletableResultCode.ofSuccess();
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
