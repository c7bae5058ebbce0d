package dev.telemetry.aop;

import java.time.Duration;

import dev.telemetry.Redaction;
import dev.telemetry.TelemetryEvent;
import dev.telemetry.bus.BusRecorder;
import dev.telemetry.bus.DefaultTelemetryEventBus;
import dev.telemetry.bus.HandlerFailurePolicy;
import dev.telemetry.tracing.MicrometerTraceSpans;
import dev.telemetry.tracing.OtelTracing;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.contextpropagation.ObservationAwareSpanThreadLocalAccessor;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.TracingObservationHandler.TracingContext;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

import org.springframework.aop.framework.ProxyFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code @TelemetryEvent} on a method returning a {@code Mono} or {@code Flux} inside a WebFlux
 * request, where the request's Observation lives in the Reactor context, not in a thread local.
 */
class TelemetryEventReactorTraceTests {

	private static final ContextSnapshotFactory SNAPSHOTS = ContextSnapshotFactory.builder().build();

	private final OtelTracing tracing = new OtelTracing();

	private final ObservationRegistry observations = ObservationRegistry.create();

	private final ObservationAwareSpanThreadLocalAccessor spanAccessor = new ObservationAwareSpanThreadLocalAccessor(
			this.observations, this.tracing.tracer);

	private final PriceService service;

	TelemetryEventReactorTraceTests() {
		this.observations.observationConfig().observationHandler(new DefaultTracingObservationHandler(this.tracing.tracer));
		// As the starter does in a Boot application: snapshots carry spans made with the Tracer.
		ContextRegistry.getInstance().registerThreadLocalAccessor(this.spanAccessor);
		DefaultTelemetryEventBus bus = new DefaultTelemetryEventBus(HandlerFailurePolicy.DETACH, Duration.ofMinutes(1),
				MicrometerTraceSpans.of(this.tracing.tracer, Redaction.defaults()), BusRecorder.NONE);
		TelemetryEventMethods methods = new TelemetryEventMethods();
		ProxyFactory factory = new ProxyFactory(new PriceService(this.tracing.tracer));
		factory.setProxyTargetClass(true);
		factory.addAdvisor(new TelemetryEventAdvisor(() -> bus, () -> methods));
		this.service = (PriceService) factory.getProxy();
	}

	@AfterEach
	void close() {
		ContextRegistry.getInstance().removeThreadLocalAccessor(ObservationAwareSpanThreadLocalAccessor.KEY);
		this.tracing.close();
	}

	// The method's span is a child of the request's span found in the subscriber's Reactor context, and
	// what the Mono does with that context (a WebClient exchange, a context-aware operator) runs in it.
	@Test
	void monoSpanJoinsTheRequestInTheReactorContextAndIsCurrentUpstream() {
		Observation request = Observation.start("http.server.requests", this.observations);
		String currentUpstream = this.service.price()
			.contextWrite(Context.of(ObservationThreadLocalAccessor.KEY, request))
			.block();
		request.stop();
		SpanData price = this.tracing.span("shop.price");
		assertThat(price.getParentSpanId()).isEqualTo(spanId(request));
		assertThat(currentUpstream).isEqualTo(price.getSpanId());
	}

	// The same for a Flux.
	@Test
	void fluxSpanJoinsTheRequestInTheReactorContextAndIsCurrentUpstream() {
		Observation request = Observation.start("http.server.requests", this.observations);
		String currentUpstream = this.service.prices()
			.contextWrite(Context.of(ObservationThreadLocalAccessor.KEY, request))
			.blockFirst();
		request.stop();
		SpanData prices = this.tracing.span("shop.prices");
		assertThat(prices.getParentSpanId()).isEqualTo(spanId(request));
		assertThat(currentUpstream).isEqualTo(prices.getSpanId());
	}

	// Outside Reactor's context, as under Spring MVC, the span's parent is still the thread's current span.
	@Test
	void monoSpanWithoutReactorContextIsChildOfCurrentSpan() {
		Observation request = Observation.start("http.server.requests", this.observations);
		try (Observation.Scope scope = request.openScope()) {
			this.service.price().block();
		}
		request.stop();
		assertThat(this.tracing.span("shop.price").getParentSpanId()).isEqualTo(spanId(request));
	}

	private static String spanId(Observation observation) {
		TracingContext tracing = observation.getContextView().getRequired(TracingContext.class);
		return tracing.getSpan().context().spanId();
	}

	public static class PriceService {

		private final Tracer tracer;

		PriceService(Tracer tracer) {
			this.tracer = tracer;
		}

		PriceService() {
			this(Tracer.NOOP);
		}

		@TelemetryEvent("shop.price")
		public Mono<String> price() {
			return Mono.deferContextual((context) -> Mono.just(currentSpanIn(context)));
		}

		@TelemetryEvent("shop.prices")
		public Flux<String> prices() {
			return Flux.deferContextual((context) -> Flux.just(currentSpanIn(context)));
		}

		// What a context-aware operator sees: the thread locals restored from the Reactor context.
		private String currentSpanIn(reactor.util.context.ContextView context) {
			try (ContextSnapshot.Scope scope = SNAPSHOTS.setThreadLocalsFrom(context)) {
				return this.tracer.currentSpan().context().spanId();
			}
		}

	}

}
