package dev.telemetry.observation;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.telemetry.EventName;
import dev.telemetry.Redaction;
import dev.telemetry.TelemetryEventBus;
import dev.telemetry.TelemetrySpanContext;
import dev.telemetry.actuate.BusStatistics;
import dev.telemetry.actuate.TelemetryDescriptor;
import dev.telemetry.actuate.TelemetryDescriptor.EventDescriptor;
import dev.telemetry.actuate.TelemetryEndpoint;
import dev.telemetry.bus.DefaultTelemetryEventBus;
import dev.telemetry.bus.HandlerFailurePolicy;
import dev.telemetry.bus.TraceSpans;
import dev.telemetry.tracing.OtelTracing;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Tests for {@link TelemetryObservationHandler}.
 */
class TelemetryObservationHandlerTests {

	private final BusStatistics statistics = new BusStatistics(1000);

	private final DefaultTelemetryEventBus bus = new DefaultTelemetryEventBus(
			HandlerFailurePolicy.DETACH, Duration.ofMinutes(1), TraceSpans.NONE, this.statistics);

	private final List<Received> received = new CopyOnWriteArrayList<>();

	private final ObservationRegistry registry = ObservationRegistry.create();

	private TelemetryObservationHandler handler = register(List.of(), null);

	private TelemetryObservationHandler register(List<String> excluded, Redaction highCardinality) {
		TelemetryObservationHandler handler = new TelemetryObservationHandler(this.bus, this.statistics, excluded,
				highCardinality);
		this.registry.observationConfig().observationHandler(handler);
		return handler;
	}

	private void listen(String... events) {
		this.bus.attachMany("test", List.of(events).stream().map(EventName::parse).toList(),
				(event, measurements, metadata, config) -> this.received
					.add(new Received(event.toString(), Map.copyOf(measurements), Map.copyOf(metadata))),
				null);
	}

	@Test
	void observationIsASpanOfEventsWithItsKeyValuesAndContextualName() {
		listen("shop.lookup.*");
		Observation.createNotStarted("shop.lookup", this.registry)
			.contextualName("lookup sku-1")
			.lowCardinalityKeyValue("store", "north")
			.highCardinalityKeyValue("sku", "sku-1")
			.observe(() -> Observation.createNotStarted("ignored", this.registry));
		assertThat(this.received).extracting(Received::name).containsExactly("shop.lookup.start", "shop.lookup.stop");
		Received start = this.received.get(0);
		Received stop = this.received.get(1);
		assertThat(start.measurements()).containsOnlyKeys("monotonic_time", "system_time");
		assertThat(stop.measurements()).containsOnlyKeys("duration", "monotonic_time");
		assertThat(stop.measurements().get("duration").longValue()).isPositive();
		assertThat(stop.metadata()).containsEntry("store", "north")
			.containsEntry("contextual_name", "lookup sku-1")
			.doesNotContainKey("sku");
		assertThat(stop.metadata().get(TelemetrySpanContext.METADATA_KEY))
			.isSameAs(start.metadata().get(TelemetrySpanContext.METADATA_KEY));
	}

	@Test
	void keyValuesAddedByTheEndReachTheStopEvent() {
		listen("shop.lookup.stop");
		Observation observation = Observation.start("shop.lookup", this.registry);
		observation.lowCardinalityKeyValue("status", "200");
		observation.stop();
		assertThat(this.received).singleElement().satisfies((stop) -> assertThat(stop.metadata()).containsEntry("status", "200"));
	}

	@Test
	void failedObservationEmitsExceptionWithTheFailureAndItsLastKeyValues() {
		listen("shop.lookup.stop", "shop.lookup.exception");
		assertThatIllegalStateException().isThrownBy(() -> Observation.createNotStarted("shop.lookup", this.registry)
			.lowCardinalityKeyValue("outcome", "SERVER_ERROR")
			.observe(() -> {
				throw new IllegalStateException("no stock");
			}));
		assertThat(this.received).singleElement().satisfies((exception) -> {
			assertThat(exception.name()).isEqualTo("shop.lookup.exception");
			assertThat(exception.measurements()).containsOnlyKeys("duration", "monotonic_time");
			assertThat(exception.metadata()).containsEntry("kind", IllegalStateException.class.getName())
				.containsEntry("reason", "no stock")
				.containsEntry("outcome", "SERVER_ERROR")
				.containsKey("stacktrace");
		});
	}

	@Test
	void eventsCarryTheIdsOfTheObservationsTraceSpan() {
		try (OtelTracing tracing = new OtelTracing()) {
			ObservationRegistry traced = ObservationRegistry.create();
			traced.observationConfig()
				.observationHandler(new DefaultTracingObservationHandler(tracing.tracer))
				.observationHandler(this.handler);
			listen("shop.lookup.stop");
			Observation.createNotStarted("shop.lookup", traced).observe(() -> {
			});
			SpanData span = tracing.spans().get(0);
			TelemetrySpanContext context = (TelemetrySpanContext) this.received.get(0)
				.metadata()
				.get(TelemetrySpanContext.METADATA_KEY);
			assertThat(context.traceId()).isEqualTo(span.getTraceId());
			assertThat(context.spanId()).isEqualTo(span.getSpanId());
			assertThat(tracing.spans()).hasSize(1);
		}
	}

	@Test
	void excludedNamesAndPrefixesAreNotEmitted() {
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig()
			.observationHandler(new TelemetryObservationHandler(this.bus, this.statistics,
					List.of("spring.security", "tasks.scheduled.execution"), null));
		listen("**");
		for (String name : List.of("spring.security.filterchains", "tasks.scheduled.execution", "spring.securityx")) {
			Observation.createNotStarted(name, registry).observe(() -> {
			});
		}
		assertThat(this.received).extracting(Received::name).containsExactly("spring.securityx.start",
				"spring.securityx.stop");
	}

	@Test
	void namesWithCharactersThatEventNamesRejectAreMadeValid() {
		listen("**");
		Observation.createNotStarted("My Service..call()", this.registry).observe(() -> {
		});
		assertThat(this.received).extracting(Received::name)
			.containsExactly("My_Service.call__.start", "My_Service.call__.stop");
	}

	@Test
	void highCardinalityKeyValuesAreRedactedAndCutWhenTurnedOn() {
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig()
			.observationHandler(new TelemetryObservationHandler(this.bus, this.statistics, List.of(),
					Redaction.defaults()));
		listen("jdbc.query.stop");
		Observation.createNotStarted("jdbc.query", registry)
			.highCardinalityKeyValue("db.statement", "x".repeat(1000))
			.highCardinalityKeyValue("db.password", "hunter2")
			.observe(() -> {
			});
		Map<String, Object> metadata = this.received.get(0).metadata();
		assertThat((String) metadata.get("db.statement")).hasSize(256);
		assertThat(metadata).containsEntry("db.password", Redaction.REDACTED);
	}

	@Test
	void observationsAreListedInTheEndpointWithTheirSourceHeardOrNot() {
		listen("shop.lookup.stop");
		for (int i = 0; i < 3; i++) {
			Observation.createNotStarted("shop.lookup", this.registry).observe(() -> {
			});
			Observation.createNotStarted("shop.pricing", this.registry).observe(() -> {
			});
		}
		TelemetryDescriptor endpoint = new TelemetryEndpoint(true, this.statistics, null, List::of, null).telemetry();
		assertThat(endpoint.events()).extracting(EventDescriptor::name, EventDescriptor::source, EventDescriptor::count)
			.containsExactly(tuple("shop.lookup.start", "observation 'shop.lookup'", 3L),
					tuple("shop.lookup.stop", "observation 'shop.lookup'", 3L),
					tuple("shop.pricing.start", "observation 'shop.pricing'", 3L),
					tuple("shop.pricing.stop", "observation 'shop.pricing'", 3L));
		assertThat(this.received).hasSize(3);
		assertThat(endpoint.diagnostics().unhandledEvents()).as("framework events nobody needs to handle").isEmpty();
	}

	// With the bus off (telemetry.enabled=false at run time, which Spring AOT's build-time beans keep the
	// handler through), Observations are neither emitted nor counted.
	@Test
	void offBusTakesNoObservation() {
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig()
			.observationHandler(
					new TelemetryObservationHandler(TelemetryEventBus.NOOP, this.statistics, List.of(), null));
		Observation.createNotStarted("shop.lookup", registry).observe(() -> {
		});
		TelemetryDescriptor endpoint = new TelemetryEndpoint(true, this.statistics, null, List::of, null).telemetry();
		assertThat(endpoint.events()).isEmpty();
	}

	@Test
	void aHandlerOneTypoAwayFromAFrameworkEventIsToldTheRightName() {
		Observation.createNotStarted("http.server.requests", this.registry).observe(() -> {
		});
		this.bus.attach("typo", EventName.parse("http.server.request.stop"), (e, m, md, c) -> {
		}, null);
		TelemetryDescriptor endpoint = new TelemetryEndpoint(true, this.statistics, null, List::of, null).telemetry();
		assertThat(endpoint.diagnostics().silentHandlers()).singleElement()
			.satisfies((silent) -> assertThat(silent.suggestions()).containsExactly("http.server.requests.stop"));
	}

	@Test
	void unheardObservationAllocatesNothingInTheHandler() {
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
		this.bus.attach("other", EventName.parse("db.query.stop"), (e, m, md, c) -> {
		}, null);
		Observation.Context context = new Observation.Context();
		context.setName("http.server.requests");
		int calls = 200_000;
		Runnable observation = () -> {
			this.handler.onStart(context);
			this.handler.onStop(context);
		};
		for (int i = 0; i < calls; i++) {
			observation.run();
		}
		long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
		for (int i = 0; i < calls; i++) {
			observation.run();
		}
		long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
		assertThat(allocated).as("bytes for %d observations", calls).isLessThan(calls / 10);
	}

	record Received(String name, Map<String, Number> measurements, Map<String, Object> metadata) {
	}

}
