package dev.telemetry.sample.minimal;

import java.io.InputStream;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reachability metadata that Spring AOT writes for a native image of the sample (its tests'
 * processing, which the sample's 'aot' profile runs): the classes the starter looks for by name
 * are in it, as a native image finds a class by name only if it is registered.
 */
@EnabledIfSystemProperty(named = "spring.aot.enabled", matches = "true")
class NativeImageHintsTests {

	private static final String HTTP_RESPONSE = "io.opentelemetry.sdk.common.export.HttpResponse";

	private static final String METADATA = "META-INF/native-image/dev.telemetry/sample-checkout-app/"
			+ "reachability-metadata.json";

	// The classes the starter probes for with ClassUtils.isPresent.
	@Test
	void theClassesTheStarterLooksForByNameAreRegistered() throws Exception {
		List<JsonNode> classes;
		try (InputStream metadata = getClass().getClassLoader().getResourceAsStream(METADATA)) {
			assertThat(metadata).as(METADATA).isNotNull();
			// Entries whose type is a class (the others are proxies).
			classes = JsonMapper.builder().build().readTree(metadata).get("reflection").valueStream()
				.filter((entry) -> entry.path("type").isString())
				.toList();
		}
		assertThat(classes).extracting((entry) -> entry.get("type").asString()).contains(
				"io.micrometer.context.ContextSnapshotFactory", "jakarta.servlet.http.HttpServletRequest",
				"io.micrometer.tracing.handler.TracingObservationHandler",
				"io.micrometer.tracing.otel.bridge.OtelTracer");
		// Public from OpenTelemetry 1.59 on: on Spring Boot 4.0's line it is absent, and not registered.
		assertThat(classes.stream().anyMatch((entry) -> entry.get("type").asString().equals(HTTP_RESPONSE)))
			.isEqualTo(ClassUtils.isPresent(HTTP_RESPONSE, getClass().getClassLoader()));
	}

}
