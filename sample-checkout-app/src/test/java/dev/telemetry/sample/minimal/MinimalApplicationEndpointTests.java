package dev.telemetry.sample.minimal;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code /actuator/telemetry} over real HTTP in a new app that exposes {@code health,telemetry}.
 * The test kit's recorder, a handler of every event, is left out so that the endpoint lists what
 * the app itself attached.
 */
@SpringBootTest(classes = MinimalApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=health,telemetry",
				"spring.autoconfigure.exclude=dev.telemetry.test.TelemetryRecorderAutoConfiguration" })
class MinimalApplicationEndpointTests {

	private static final String SECRET_NAME = "ada-7f3c9e";

	@LocalServerPort
	int port;

	// After calls that succeed and one that throws, the listener, the counts, the typo and the
	// per-handler page are all there, and no metadata value is.
	@Test
	void answersWhyNothingShowsUp() {
		RestClient client = RestClient.builder()
			.baseUrl("http://localhost:" + this.port)
			.defaultStatusHandler(HttpStatusCode::isError, (request, response) -> {
			})
			.build();
		for (int i = 0; i < 3; i++) {
			assertThat(client.get().uri("/greet/" + SECRET_NAME).retrieve().toBodilessEntity().getStatusCode().value())
				.isEqualTo(200);
		}
		assertThat(client.get().uri("/greet/boom-" + SECRET_NAME).retrieve().toBodilessEntity().getStatusCode().value())
			.isEqualTo(500);
		await().untilAsserted(() -> assertThat(events(client)).extracting((e) -> e.get("name"))
			.contains("x.async.stop"));

		ResponseEntity<String> raw = client.get().uri("/actuator/telemetry").retrieve().toEntity(String.class);
		assertThat(raw.getStatusCode().value()).isEqualTo(200);
		assertThat(raw.getBody()).doesNotContain(SECRET_NAME);

		Map<String, Object> telemetry = telemetry(client);
		List<Map<String, Object>> handlers = list(telemetry.get("handlers"));
		assertThat(handlers).anySatisfy((handler) -> {
			assertThat(handler).containsEntry("id", "minimal-events")
				.containsEntry("state", "ATTACHED")
				.containsEntry("lastFailure", null)
				.containsEntry("failures", 0);
			assertThat(handler.get("events")).isEqualTo(List.of("x.**"));
			assertThat(handler.get("source")).asString().contains("method on()");
		});
		List<Map<String, Object>> events = list(telemetry.get("events"));
		assertThat(events).anySatisfy((event) -> {
			assertThat(event).containsEntry("name", "x.y.stop").containsEntry("count", 3);
			assertThat(event.get("handlers")).isEqualTo(List.of("minimal-events"));
		});
		assertThat(events).anySatisfy((event) -> assertThat(event).containsEntry("name", "x.y.exception")
			.containsEntry("count", 1));
		Map<String, Object> diagnostics = map(telemetry.get("diagnostics"));
		assertThat(list(diagnostics.get("silentHandlers"))).anySatisfy((silent) -> {
			assertThat(silent).containsEntry("id", "typo-listener").containsEntry("event", "x.y.stpo");
			assertThat(silent.get("suggestions")).isEqualTo(List.of("x.y.stop"));
		});
		assertThat(list(telemetry.get("annotated"))).anySatisfy((method) -> assertThat(method)
			.containsEntry("event", "x.y")
			.containsEntry("span", true));

		ResponseEntity<String> handler = client.get().uri("/actuator/telemetry/minimal-events").retrieve().toEntity(String.class);
		assertThat(handler.getStatusCode().value()).isEqualTo(200);
		assertThat(handler.getBody()).contains("\"invocations\"").doesNotContain(SECRET_NAME);
		assertThat(client.get().uri("/actuator/telemetry/no-such-handler").retrieve().toBodilessEntity().getStatusCode().value())
			.isEqualTo(404);
	}

	private static Map<String, Object> telemetry(RestClient client) {
		return client.get().uri("/actuator/telemetry").retrieve().body(new ParameterizedTypeReference<>() {
		});
	}

	private static List<Map<String, Object>> events(RestClient client) {
		return list(telemetry(client).get("events"));
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> list(Object value) {
		return (List<Map<String, Object>>) value;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Object value) {
		return (Map<String, Object>) value;
	}

}
