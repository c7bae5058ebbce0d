package dev.telemetry.actuate;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.telemetry.EventName;
import dev.telemetry.TelemetryEvent;
import dev.telemetry.actuate.TelemetryDescriptor.EventDescriptor;
import dev.telemetry.actuate.TelemetryDescriptor.HandlerDescriptor;
import dev.telemetry.actuate.TelemetryDescriptor.SilentHandlerDescriptor;
import dev.telemetry.aop.TelemetryEventMethods;
import dev.telemetry.bus.DefaultTelemetryEventBus;
import dev.telemetry.bus.HandlerFailurePolicy;
import dev.telemetry.bus.TraceSpans;
import dev.telemetry.tracing.SpanExportStatistics;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class TelemetryEndpointTests {

	private static final EventName CHECKOUT = EventName.parse("shop.checkout");

	private final BusStatistics statistics = new BusStatistics(5);

	private final DefaultTelemetryEventBus bus = new DefaultTelemetryEventBus(
			HandlerFailurePolicy.DETACH, Duration.ofMinutes(1), TraceSpans.NONE, this.statistics);

	private final TelemetryEventMethods methods = new TelemetryEventMethods();

	private final TelemetryEndpoint endpoint = new TelemetryEndpoint(true, this.statistics, this.methods, List::of, null);

	// The exporter and expression-failure sections keep the JSON the README and the live page read: every
	// field, in order, nulls written even where the application's JSON leaves nulls out.
	@Test
	void exporterAndExpressionFailuresKeepTheirJson() {
		JsonMapper json = JsonMapper.builder()
			.changeDefaultPropertyInclusion((inclusion) -> inclusion.withValueInclusion(JsonInclude.Include.NON_NULL))
			.build();
		SpanExportStatistics export = new SpanExportStatistics(Duration.ofMinutes(1), () -> null);
		TelemetryDescriptor descriptor = new TelemetryEndpoint(true, this.statistics, this.methods, List::of, export)
			.telemetry();
		assertThat(json.writeValueAsString(descriptor.exporter())).isEqualTo("{\"sampler\":null,\"exporters\":[],"
				+ "\"exported\":0,\"failed\":0,\"dropped\":null,\"lastError\":null,\"lastSuccess\":null}");
		assertThat(json.writeValueAsString(descriptor.diagnostics().expressionFailures()))
			.isEqualTo("{\"count\":0,\"lastMethod\":null,\"lastKey\":null,\"lastTime\":null}");
	}

	// A handler is listed under its id, with its events as attached, where it was attached, and its counters.
	@Test
	void listsHandlersWithCounters() {
		this.bus.attachMany("stats", List.of(CHECKOUT.append("stop"), EventName.parse("shop.*.exception")),
				(e, m, md, c) -> {
				}, null);
		this.bus.span(CHECKOUT, Map.of(), () -> 1);
		this.bus.span(CHECKOUT, Map.of(), () -> 2);
		HandlerDescriptor stats = this.endpoint.telemetry().handlers().get(0);
		assertThat(stats.id()).isEqualTo("stats");
		assertThat(stats.events()).containsExactly("shop.checkout.stop", "shop.*.exception");
		assertThat(stats.source()).contains(TelemetryEndpointTests.class.getName() + ".listsHandlersWithCounters");
		assertThat(stats.state()).isEqualTo("ATTACHED");
		assertThat(stats.invocations()).isEqualTo(2);
		assertThat(stats.failures()).isZero();
		assertThat(stats.lastFailure()).isNull();
		assertThat(stats.attachedAt()).isNotNull();
	}

	// A handler's invocations count only the events since it was attached, and stop when it is detached.
	@Test
	void countsInvocationsSinceAttachUntilDetach() {
		EventName stop = CHECKOUT.append("stop");
		this.bus.execute(stop, Map.of(), Map.of());
		this.bus.execute(stop, Map.of(), Map.of());
		this.bus.attach("late", stop, (e, m, md, c) -> {
		}, null);
		this.bus.execute(stop, Map.of(), Map.of());
		assertThat(this.endpoint.handler("late").invocations()).isEqualTo(1);
		// attach(), a default method of the bus's interface, is not where the handler comes from: this test is.
		assertThat(this.endpoint.handler("late").source())
			.contains(TelemetryEndpointTests.class.getName() + ".countsInvocationsSinceAttachUntilDetach");
		this.bus.detach("late");
		this.bus.execute(stop, Map.of(), Map.of());
		assertThat(this.endpoint.handler("late").invocations()).isEqualTo(1);
	}

	// A handler attached by pattern counts the events of every name it receives, since it was attached.
	@Test
	void countsInvocationsOfPatternsPerName() {
		this.bus.execute(CHECKOUT.append("stop"), Map.of(), Map.of());
		this.bus.attach("all", EventName.parse("shop.**"), (e, m, md, c) -> {
		}, null);
		this.bus.execute(CHECKOUT.append("stop"), Map.of(), Map.of());
		this.bus.execute(EventName.parse("shop.cart.stop"), Map.of(), Map.of());
		this.bus.execute(EventName.parse("db.query"), Map.of(), Map.of());
		assertThat(this.endpoint.handler("all").invocations()).isEqualTo(2);
	}

	// A handler attached again under the same id starts from zero; the detached one is no longer listed.
	@Test
	void countsAgainWhenReattached() {
		EventName stop = CHECKOUT.append("stop");
		this.bus.attach("h", stop, (e, m, md, c) -> {
		}, null);
		this.bus.execute(stop, Map.of(), Map.of());
		this.bus.detach("h");
		this.bus.attach("h", stop, (e, m, md, c) -> {
		}, null);
		assertThat(this.endpoint.telemetry().handlers()).singleElement().satisfies((handler) -> {
			assertThat(handler.state()).isEqualTo("ATTACHED");
			assertThat(handler.invocations()).isZero();
		});
	}

	// Every emitted name is counted, with the handlers that receive it; stop and exception alike.
	@Test
	void countsEmittedEvents() {
		this.bus.attach("stats", CHECKOUT.append("stop"), (e, m, md, c) -> {
		}, null);
		this.bus.span(CHECKOUT, Map.of(), () -> 1);
		try {
			this.bus.span(CHECKOUT, Map.of(), () -> {
				throw new IllegalStateException("declined");
			});
		}
		catch (IllegalStateException expected) {
		}
		assertThat(this.endpoint.telemetry().events()).extracting(EventDescriptor::name, EventDescriptor::count)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("shop.checkout.exception", 1L),
					org.assertj.core.groups.Tuple.tuple("shop.checkout.start", 2L),
					org.assertj.core.groups.Tuple.tuple("shop.checkout.stop", 1L));
		EventDescriptor stop = this.endpoint.telemetry().events().get(2);
		assertThat(stop.handlers()).containsExactly("stats");
		assertThat(stop.lastSeen()).isNotNull();
	}

	// An event's last emission is shown to the second, whether the statistics' clock runs or not.
	@Test
	void showsWhenAnEventWasLastSeen() {
		Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		this.bus.execute(EventName.parse("shop.a"), Map.of(), Map.of());
		this.statistics.start();
		try {
			assertThat(this.statistics.isRunning()).isTrue();
			this.bus.execute(EventName.parse("shop.b"), Map.of(), Map.of());
		}
		finally {
			this.statistics.stop();
		}
		assertThat(this.statistics.isRunning()).isFalse();
		Instant after = Instant.now();
		assertThat(this.endpoint.telemetry().events()).hasSize(2)
			.allSatisfy((event) -> assertThat(event.lastSeen()).isBetween(before, after));
	}

	// A failing handler shows its last failure, and once detached, its state.
	@Test
	void showsFailuresAndDetachedState() {
		this.bus.attach("flaky", CHECKOUT.append("stop"), (e, m, md, c) -> {
			throw new IllegalArgumentException("bad cart");
		}, null);
		this.bus.span(CHECKOUT, Map.of(), () -> 1);
		HandlerDescriptor flaky = this.endpoint.handler("flaky");
		assertThat(flaky.state()).isEqualTo("DETACHED");
		assertThat(flaky.failures()).isEqualTo(1);
		assertThat(flaky.lastFailure().kind()).isEqualTo(IllegalArgumentException.class.getName());
		assertThat(flaky.lastFailure().reason()).isEqualTo("bad cart");
		assertThat(flaky.detachedAt()).isNotNull();
	}

	// A failure's reason is cut at 200 characters.
	@Test
	void cutsLongFailureReasons() {
		this.bus.attach("verbose", CHECKOUT.append("stop"), (e, m, md, c) -> {
			throw new IllegalStateException("x".repeat(500));
		}, null);
		this.bus.execute(CHECKOUT.append("stop"), Map.of(), Map.of());
		assertThat(this.endpoint.handler("verbose").lastFailure().reason()).isEqualTo("x".repeat(200) + "...");
	}

	// Under keep, every failure is counted and the handler stays attached.
	@Test
	void countsFailuresOfKeptHandlers() {
		DefaultTelemetryEventBus keeping = new DefaultTelemetryEventBus(
				HandlerFailurePolicy.KEEP, Duration.ofMinutes(1), TraceSpans.NONE, this.statistics);
		keeping.attach("flaky", CHECKOUT.append("stop"), (e, m, md, c) -> {
			throw new IllegalArgumentException("bad cart");
		}, null);
		for (int i = 0; i < 3; i++) {
			keeping.execute(CHECKOUT.append("stop"), Map.of(), Map.of());
		}
		HandlerDescriptor flaky = this.endpoint.handler("flaky");
		assertThat(flaky.state()).isEqualTo("ATTACHED");
		assertThat(flaky.failures()).isEqualTo(3);
		assertThat(flaky.invocations()).isEqualTo(3);
	}

	// The last 100 handlers detached because they failed stay listed, however many others are detached.
	@Test
	void keepsFailedHandlersApartFromDetachedOnes() {
		this.bus.attach("flaky", CHECKOUT.append("stop"), (e, m, md, c) -> {
			throw new IllegalArgumentException("bad cart");
		}, null);
		this.bus.execute(CHECKOUT.append("stop"), Map.of(), Map.of());
		for (int i = 0; i < 150; i++) {
			this.bus.attach("churn-" + i, CHECKOUT.append("stop"), (e, m, md, c) -> {
			}, null);
			this.bus.detach("churn-" + i);
		}
		List<HandlerDescriptor> handlers = this.endpoint.telemetry().handlers();
		assertThat(handlers).hasSize(101);
		assertThat(handlers.get(0).id()).isEqualTo("flaky");
		assertThat(handlers.get(1).id()).isEqualTo("churn-149");
	}

	// The per-handler page answers for a known id and gives nothing (404) for an unknown one.
	@Test
	void handlerPage() {
		this.bus.attach("stats", CHECKOUT.append("stop"), (e, m, md, c) -> {
		}, null);
		assertThat(this.endpoint.handler("stats").id()).isEqualTo("stats");
		assertThat(this.endpoint.handler("missing")).isNull();
	}

	// A name emitted that nobody listens to is an unhandled event; not the starter's own telemetry.* events.
	@Test
	void reportsUnhandledEvents() {
		this.bus.execute(EventName.parse("shop.cart.abandoned"), Map.of(), Map.of());
		this.bus.execute(EventName.parse("telemetry.vm.memory"), Map.of(), Map.of());
		assertThat(this.endpoint.telemetry().diagnostics().unhandledEvents()).containsExactly("shop.cart.abandoned");
	}

	// A handler of a name only known so far (a framework event that has not happened) is silent, as the README says.
	@Test
	void handlerOfANameNeverEmittedIsSilent() {
		this.statistics.counter(EventName.parse("http.server.requests.exception"), "observation 'http.server.requests'");
		this.bus.attach("errors", EventName.parse("http.server.requests.exception"), (e, m, md, c) -> {
		}, null);
		assertThat(this.endpoint.telemetry().diagnostics().silentHandlers()).extracting(SilentHandlerDescriptor::id)
			.containsExactly("errors");
	}

	// A handler attached to a misspelt name is silent, and the emitted name it meant is suggested.
	@Test
	void suggestsNamesForSilentHandlers() {
		this.bus.attach("typo", EventName.parse("shop.chekout.stop"), (e, m, md, c) -> {
		}, null);
		this.bus.attach("fine", CHECKOUT.append("stop"), (e, m, md, c) -> {
		}, null);
		this.bus.span(CHECKOUT, Map.of(), () -> 1);
		assertThat(this.endpoint.telemetry().diagnostics().silentHandlers()).singleElement().satisfies((silent) -> {
			assertThat(silent.id()).isEqualTo("typo");
			assertThat(silent.event()).isEqualTo("shop.chekout.stop");
			assertThat(silent.suggestions()).containsExactly("shop.checkout.stop");
		});
	}

	// The catalog keeps at most max-events names and counts the rest as overflow.
	@Test
	void boundsTheCatalog() {
		for (int i = 0; i < 12; i++) {
			this.bus.execute(EventName.of("flood", "name" + i), Map.of(), Map.of());
		}
		TelemetryDescriptor telemetry = this.endpoint.telemetry();
		assertThat(telemetry.events()).hasSize(5);
		assertThat(telemetry.diagnostics().eventCatalog().maxEvents()).isEqualTo(5);
		assertThat(telemetry.diagnostics().eventCatalog().overflowEmissions()).isEqualTo(7);
	}

	// Annotated methods and the ones a proxy cannot advise are listed.
	@Test
	void listsAnnotatedAndUnadvisableMethods() {
		this.methods.scan(Service.class);
		TelemetryDescriptor telemetry = this.endpoint.telemetry();
		assertThat(telemetry.annotated()).singleElement().satisfies((method) -> {
			assertThat(method.event()).isEqualTo("shop.pay");
			assertThat(method.method()).endsWith("Service.pay");
			assertThat(method.span()).isFalse();
		});
		assertThat(telemetry.diagnostics().unadvisableMethods()).singleElement()
			.satisfies((method) -> assertThat(method.method()).endsWith("Service.refund()"));
	}

	// No metadata or measurement value appears anywhere in the endpoint's answers.
	@Test
	void neverShowsMetadataValues() {
		this.bus.attach("stats", CHECKOUT.append("stop"), (e, m, md, c) -> {
		}, "config-value");
		this.bus.span(CHECKOUT, Map.of("card", "4111-1111-1111-1111"), () -> 1);
		this.bus.execute(EventName.parse("shop.paid"), Map.of("amount_cents", 987654321L), Map.of("token", "tok_secret"));
		String everything = this.endpoint.telemetry() + " " + this.endpoint.handler("stats");
		assertThat(everything).doesNotContain("4111-1111-1111-1111", "tok_secret", "987654321", "config-value")
			.contains("shop.paid");
	}

	static class Service {

		@TelemetryEvent(value = "shop.pay", span = false)
		public void pay() {
		}

		@TelemetryEvent("shop.refund")
		final void refund() {
		}

	}

}
