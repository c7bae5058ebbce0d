package dev.telemetry.sample.checkout.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Traces read back from a real Zipkin server's query API, and the spans in them.
 */
final class ZipkinTraces {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	private ZipkinTraces() {
	}

	/**
	 * The spans of a trace, once Zipkin holds spans with all the given names.
	 */
	static List<Map<String, Object>> trace(JavaProcess zipkin, String traceId, String... names) {
		URI uri = zipkin.uri("/api/v2/trace/" + traceId);
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
			HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri).build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).as("Zipkin answer for %s", traceId).isEqualTo(200);
			assertThat(names(parse(response.body()))).contains((Object[]) names);
		});
		try {
			return parse(HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body());
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The traces of a service that hold a span with the given name, once Zipkin holds at least one.
	 */
	static List<List<Map<String, Object>>> withSpan(JavaProcess zipkin, String serviceName, String spanName) {
		URI uri = zipkin.uri("/api/v2/traces?serviceName=" + serviceName + "&spanName=" + spanName + "&limit=10");
		return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
			HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri).build(),
					HttpResponse.BodyHandlers.ofString());
			return (response.statusCode() == 200) ? JSON.readValue(response.body(),
					new TypeReference<List<List<Map<String, Object>>>>() {
					}) : List.<List<Map<String, Object>>>of();
		}, (traces) -> !traces.isEmpty());
	}

	static List<Object> names(List<Map<String, Object>> spans) {
		return spans.stream().map((span) -> span.get("name")).toList();
	}

	static Map<String, Object> named(List<Map<String, Object>> spans, String name) {
		return spans.stream()
			.filter((span) -> name.equals(span.get("name")))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no span " + name + " in " + names(spans)));
	}

	/**
	 * The ids of a span's parent, its parent's parent, and so on, as far as the trace holds them.
	 */
	static List<Object> parents(List<Map<String, Object>> spans, Map<String, Object> span) {
		List<Object> parents = new ArrayList<>();
		Object parentId = span.get("parentId");
		while (parentId != null && !parents.contains(parentId)) {
			parents.add(parentId);
			Object id = parentId;
			parentId = spans.stream()
				.filter((candidate) -> id.equals(candidate.get("id")))
				.findFirst()
				.map((parent) -> parent.get("parentId"))
				.orElse(null);
		}
		return parents;
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> map(Object value) {
		return (Map<String, Object>) value;
	}

	private static List<Map<String, Object>> parse(String body) {
		return JSON.readValue(body, new TypeReference<>() {
		});
	}

}
