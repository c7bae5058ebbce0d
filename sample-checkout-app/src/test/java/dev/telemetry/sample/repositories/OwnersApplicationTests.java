package dev.telemetry.sample.repositories;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.telemetry.EventName;
import dev.telemetry.TelemetryEventBus;
import dev.telemetry.actuate.TelemetryDescriptor;
import dev.telemetry.actuate.TelemetryEndpoint;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code @TelemetryEvent} on Spring Data JPA repositories, with a real repository on an embedded
 * H2, called over real HTTP; and the queries they run, as spans and events, from the starter's
 * JDBC observation.
 */
@SpringBootTest(classes = { OwnersApplication.class, OwnersApplicationTests.Exporter.class },
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.tracing.sampling.probability=1.0",
				"management.opentelemetry.tracing.export.schedule-delay=50ms" })
class OwnersApplicationTests {

	@LocalServerPort
	int port;

	@Autowired
	InMemorySpanExporter exporter;

	@Autowired
	OwnersApplication.Events events;

	@Autowired
	TelemetryEndpoint endpoint;

	@Autowired
	TelemetryEventBus bus;

	@BeforeEach
	void reset() {
		this.exporter.reset();
		this.events.received.clear();
	}

	// An annotated repository query method emits start and stop, with SpEL over its argument and its result.
	@Test
	void repositoryMethodEmitsWithMetadataFromArgumentsAndResult() {
		assertThat(owners("Dav")).containsExactlyInAnyOrder("Davis", "Davidson");
		assertThat(this.events.received).filteredOn((event) -> event.name().equals("owners.find.start"))
			.singleElement()
			.satisfies((event) -> assertThat(event.metadata()).containsEntry("prefix", "Dav"));
		assertThat(this.events.received).filteredOn((event) -> event.name().equals("owners.find.stop"))
			.singleElement()
			.satisfies((event) -> assertThat(event.metadata()).containsEntry("prefix", "Dav").containsEntry("found", 2));
	}

	// An annotation on a repository interface applies to the methods it inherits from Spring Data.
	@Test
	void repositoryInterfaceAnnotationCoversInheritedMethods() {
		owners("Fr");
		assertThat(this.events.received).extracting(OwnersApplication.Events.Received::name)
			.contains("visits.start", "visits.stop");
	}

	// The repository span is a child of the controller's span, itself a child of the server span.
	@Test
	void repositorySpanIsAChildOfTheControllerSpan() {
		owners("Dav");
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(this.exporter.getFinishedSpanItems()).extracting(SpanData::getName)
				.contains("owners.find", "owners.search", "visits", "http get /owners"));
		List<SpanData> spans = this.exporter.getFinishedSpanItems();
		assertThat(span(spans, "owners.find").getParentSpanId()).isEqualTo(span(spans, "owners.search").getSpanId());
		assertThat(span(spans, "visits").getParentSpanId()).isEqualTo(span(spans, "owners.search").getSpanId());
		assertThat(span(spans, "owners.search").getParentSpanId())
			.isEqualTo(span(spans, "http get /owners").getSpanId());
	}

	// With no code of the application's, every statement is a span of the repository method that ran it, with
	// the SQL and without the parameter values, and a jdbc.query.stop event with its duration.
	@Test
	void queriesAreSpansOfTheRepositoryMethodThatRanThem() {
		List<Map<String, Object>> queryEvents = new CopyOnWriteArrayList<>();
		this.bus.attach("jdbc-query-test", EventName.parse("jdbc.query.stop"), (event, measurements, metadata, config) -> {
			Map<String, Object> received = new HashMap<>(metadata);
			received.put("duration", measurements.get("duration"));
			queryEvents.add(received);
		}, null);
		try {
			owners("Dav");
		}
		finally {
			this.bus.detach("jdbc-query-test");
		}
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			List<SpanData> exported = this.exporter.getFinishedSpanItems();
			assertThat(exported).extracting(SpanData::getName).contains("owners.find", "visits", "http get /owners");
			assertThat(queriesUnder(exported, span(exported, "owners.find"))).isNotEmpty();
			assertThat(queriesUnder(exported, span(exported, "visits"))).isNotEmpty();
		});
		List<SpanData> spans = this.exporter.getFinishedSpanItems();
		SpanData find = span(spans, "owners.find");
		SpanData visits = span(spans, "visits");
		assertThat(queriesUnder(spans, find)).singleElement().satisfies((query) -> {
			assertThat(query.getAttributes().get(AttributeKey.stringKey("jdbc.query[0]"))).containsIgnoringCase("like ?");
			assertThat(query.getAttributes().asMap()).allSatisfy((key, value) -> {
				assertThat(key.getKey()).doesNotStartWith("jdbc.params");
				assertThat(String.valueOf(value)).doesNotContain("Dav");
			});
		});
		assertThat(queriesUnder(spans, visits)).singleElement()
			.satisfies((query) -> assertThat(query.getAttributes().get(AttributeKey.stringKey("jdbc.query[0]")))
				.containsIgnoringCase("count("));
		assertThat(queryEvents).hasSize(2).allSatisfy((event) -> {
			assertThat(((Number) event.get("duration")).longValue()).isPositive();
			assertThat(event).containsEntry("contextual_name", "query")
				.containsKeys("jdbc.datasource.name", "jdbc.datasource.pool", "jdbc.datasource.driver",
						"telemetry_span_context")
				.doesNotContainKey("jdbc.query[0]");
		});
	}

	// The endpoint lists the repository methods under the user's interface, and reports none as unadvisable.
	@Test
	void endpointNamesTheRepositoryInterfaceNotAProxy() {
		TelemetryDescriptor telemetry = this.endpoint.telemetry();
		assertThat(telemetry.diagnostics().unadvisableMethods()).isEmpty();
		assertThat(telemetry.annotated()).extracting(TelemetryDescriptor.AnnotatedMethodDescriptor::method)
			.contains(OwnersApplication.OwnerRepository.class.getName() + ".findByLastNameStartingWith")
			.noneMatch((method) -> method.contains("$Proxy"));
	}

	private List<String> owners(String lastName) {
		return RestClient.create("http://localhost:" + this.port)
			.get()
			.uri("/owners?lastName={lastName}", lastName)
			.retrieve()
			.body(new ParameterizedTypeReference<List<String>>() {
			});
	}

	private static List<SpanData> queriesUnder(List<SpanData> spans, SpanData parent) {
		return spans.stream()
			.filter((span) -> span.getName().equals("query") && span.getParentSpanId().equals(parent.getSpanId()))
			.toList();
	}

	/** The last span of that name: this test's, when a previous test's arrive after the reset. */
	private static SpanData span(List<SpanData> spans, String name) {
		return spans.stream()
			.filter((span) -> span.getName().equals(name))
			.reduce((first, second) -> second)
			.orElseThrow(() -> new AssertionError("no span " + name + " in " + spans.stream().map(SpanData::getName).toList()));
	}

	static class Exporter {

		@Bean
		InMemorySpanExporter spanExporter() {
			return InMemorySpanExporter.create();
		}

	}

}
