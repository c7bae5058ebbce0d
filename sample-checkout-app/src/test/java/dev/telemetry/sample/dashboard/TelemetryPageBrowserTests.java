package dev.telemetry.sample.dashboard;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.telemetry.EventName;
import dev.telemetry.TelemetryEventBus;
import dev.telemetry.sample.checkout.CheckoutApplication;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The live page of {@code /actuator/telemetry} in a real headless browser (Debian's
 * {@code chromium}, which {@code .ci/run} installs): the sample under checkouts, one handler that
 * fails and a collector that does not answer. The rendered page shows the charts, the handler
 * ids, the event names and the failing handler, and the browser fetches nothing but the
 * application. The screenshot is the README's.
 */
@SpringBootTest(classes = CheckoutApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.opentelemetry.tracing.export.otlp.endpoint=http://127.0.0.1:9/v1/traces",
				"management.opentelemetry.tracing.export.schedule-delay=200ms", "shop.payment.provider-delay=0ms" })
class TelemetryPageBrowserTests {

	/** A request's start in chromium's net log: who asked for it, and what. */
	private static final Pattern REQUEST = Pattern.compile("\"initiator\":\"([^\"]*)\"[^\\n]{0,600}?\"url\":\"([^\"]+)\"");

	private final HttpClient http = HttpClient.newHttpClient();

	private final AtomicBoolean loading = new AtomicBoolean(true);

	private final AtomicInteger checkouts = new AtomicInteger();

	@LocalServerPort
	int port;

	@Autowired
	TelemetryEventBus bus;

	@AfterEach
	void stopLoad() {
		this.loading.set(false);
		this.bus.detach("inventory-sync");
	}

	@Test
	void pageShowsWhatIsEmittedWhatListensWhatFailsAndFetchesNothingOutside() throws Exception {
		this.bus.attach("inventory-sync", EventName.parse("shop.checkout.stop"), (event, measurements, metadata, config) -> {
			throw new IllegalStateException("inventory service unreachable");
		}, null);
		Thread load = new Thread(this::checkoutsUntilStopped, "checkouts");
		load.setDaemon(true);
		load.start();
		await().atMost(Duration.ofSeconds(30)).until(() -> this.checkouts.get() >= 10);
		// The collector does not answer: wait for the exporter to give up on a batch (it retries first).
		await().atMost(Duration.ofSeconds(60)).until(() -> json().contains("\"lastError\":{"));
		Path work = Files.createTempDirectory("telemetry-page");
		Path netLog = work.resolve("netlog.json");
		String url = "http://localhost:" + this.port + "/actuator/telemetry";
		String dom = chromium(work, "--log-net-log=" + netLog, "--dump-dom", url);
		assertThat(dom).contains("<title>Telemetry</title>")
			.contains("data-handler=\"inventory-sync\"")
			.contains("data-handler=\"shop-failure-log\"")
			.contains("data-handler=\"shop-slow-request-log\"")
			.contains("data-event=\"shop.checkout.stop\"")
			.contains("data-event=\"http.server.requests.stop\"")
			.contains("observation 'http.server.requests'")
			.contains("data-metric=\"shop.checkout.duration\"")
			.contains("<polyline points=")
			.contains("inventory service unreachable")
			.contains("Last error")
			.contains("Sampler: ParentBased{root:TraceIdRatioBased{1.000000}");
		assertThat(row(dom, "data-handler=\"inventory-sync\"")).startsWith("<tr class=\"bad\"").contains("DETACHED");
		assertThat(row(dom, "data-handler=\"shop-failure-log\"")).startsWith("<tr class=\"\"");
		// Every request the page made went to the application (chromium's own, for updates and
		// such, say "not an origin" and are left out).
		String origin = "http://localhost:" + this.port;
		List<String> fromPage = new ArrayList<>();
		Matcher matcher = REQUEST.matcher(Files.readString(netLog));
		while (matcher.find()) {
			if (matcher.group(1).equals(origin)) {
				fromPage.add(matcher.group(2));
			}
		}
		assertThat(fromPage).filteredOn((requested) -> requested.equals(origin + "/actuator/telemetry")).hasSizeGreaterThan(1);
		assertThat(fromPage).allSatisfy((requested) -> assertThat(requested).startsWith(origin + "/"));
		chromium(work, "--window-size=1280,2100", "--screenshot=" + Path.of("target", "telemetry-page.png").toAbsolutePath(),
				url);
		this.loading.set(false);
		load.join(10_000);
	}

	private String json() throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/actuator/telemetry"))
			.header("Accept", "application/json")
			.build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString()).body();
	}

	private static String row(String dom, String marker) {
		int at = dom.indexOf(marker);
		return dom.substring(dom.lastIndexOf("<tr", at), dom.indexOf("</tr>", at));
	}

	private void checkoutsUntilStopped() {
		String body = "{\"customerId\":\"c-1\",\"paymentToken\":\"tok_visa\",\"items\":[{\"sku\":\"book\",\"quantity\":1,\"unitPrice\":10}]}";
		HttpRequest checkout = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/checkout"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
		while (this.loading.get()) {
			try {
				if (this.http.send(checkout, HttpResponse.BodyHandlers.discarding()).statusCode() == 201) {
					this.checkouts.incrementAndGet();
				}
				Thread.sleep(20);
			}
			catch (IOException | InterruptedException ex) {
				return;
			}
		}
	}

	/** Runs headless chromium with the page's timers running for six seconds, and returns what it printed. */
	private static String chromium(Path work, String... arguments) throws Exception {
		String binary = System.getProperty("chromium.binary", "chromium");
		List<String> command = new ArrayList<>(List.of(binary, "--headless", "--no-sandbox", "--disable-gpu",
				"--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update",
				"--disable-sync", "--no-first-run", "--user-data-dir=" + work.resolve("profile"),
				"--virtual-time-budget=6000"));
		command.addAll(List.of(arguments));
		Process process;
		try {
			process = new ProcessBuilder(command).redirectError(work.resolve("chromium.log").toFile()).start();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot run '" + binary + "': install Debian's 'chromium' package "
					+ "(.ci/run does) or pass -Dchromium.binary=/path/to/chromium", ex);
		}
		String out = new String(process.getInputStream().readAllBytes());
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("chromium ended").isTrue();
		assertThat(process.exitValue()).as("chromium exit code; see " + work.resolve("chromium.log")).isZero();
		return out;
	}

}
