package dev.telemetry.sample.checkout.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.telemetry.sample.repositories.OwnersApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application with Spring Data JPA repositories, the starter added as the README says, annotated
 * on a repository method and on a controller method, exporting to a real Zipkin server: its page
 * answers, and Zipkin holds the annotated spans under the server span, and the queries, which the
 * application does not instrument, under them. Run by the {@code boot-4.0} profile too, where it
 * proves all of this on Spring Boot 4.0.
 */
class OwnersZipkinIT {

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	private static JavaProcess zipkin;

	private static ConfigurableApplicationContext app;

	@BeforeAll
	static void start() {
		zipkin = JavaProcess.start("zipkin", "zipkin.jar", "/health", Duration.ofSeconds(120));
		app = new SpringApplicationBuilder(OwnersApplication.class).run("--server.port=0",
				"--spring.application.name=owners", "--management.tracing.sampling.probability=1.0",
				"--management.tracing.export.zipkin.enabled=true",
				"--management.tracing.export.zipkin.endpoint=http://localhost:" + zipkin.port + "/api/v2/spans",
				"--management.opentelemetry.tracing.export.schedule-delay=200ms");
	}

	@AfterAll
	static void stop() {
		if (app != null) {
			app.close();
		}
		if (zipkin != null) {
			zipkin.close();
		}
	}

	// The page answers, and the repository span sits under the controller's, under the server span, in Zipkin.
	@Test
	void repositoryAndControllerSpansAreInTheRequestTraceInZipkin() throws Exception {
		String traceId = "7a1c2d3e4a5b6c7d8e9f0a1b2c3d4e5f";
		int port = ((WebServerApplicationContext) app).getWebServer().getPort();
		HttpResponse<String> response = HTTP.send(
				HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/owners?lastName=Dav"))
					.header("traceparent", "00-" + traceId + "-1a2b3c4d5e6f7a8b-01")
					.build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("Davis", "Davidson").doesNotContain("Franklin");

		List<Map<String, Object>> spans = ZipkinTraces.trace(zipkin, traceId, "http get /owners", "owners.search",
				"owners.find", "visits", "query");
		Map<String, Object> server = ZipkinTraces.named(spans, "http get /owners");
		Map<String, Object> controller = ZipkinTraces.named(spans, "owners.search");
		Map<String, Object> repository = ZipkinTraces.named(spans, "owners.find");
		assertThat(controller.get("parentId")).isEqualTo(server.get("id"));
		assertThat(repository.get("parentId")).isEqualTo(controller.get("id"));
		assertThat(ZipkinTraces.map(repository.get("tags"))).containsEntry("prefix", "Dav").containsEntry("found", "2");
		assertThat(ZipkinTraces.map(repository.get("localEndpoint"))).containsEntry("serviceName", "owners");
		// The queries the repositories ran, which nothing in the application instruments: each a span under the
		// repository method that ran it, and so, parent by parent, under the server span.
		List<Map<String, Object>> queries = spans.stream().filter((span) -> "query".equals(span.get("name"))).toList();
		assertThat(queries).hasSizeGreaterThanOrEqualTo(2).allSatisfy((query) -> {
			assertThat(ZipkinTraces.parents(spans, query)).contains(server.get("id"));
			assertThat(ZipkinTraces.map(query.get("tags"))).containsKey("jdbc.query[0]");
		});
		assertThat(queries).anySatisfy((query) -> assertThat(query.get("parentId")).isEqualTo(repository.get("id")));
		assertThat(queries).anySatisfy((query) -> assertThat(query.get("parentId"))
			.isEqualTo(ZipkinTraces.named(spans, "visits").get("id")));
	}

}
