package dev.telemetry.aop;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.telemetry.EventName;
import dev.telemetry.TelemetryEvent;
import dev.telemetry.actuate.BusStatistics;
import dev.telemetry.actuate.TelemetryEndpoint;
import dev.telemetry.bus.BusRecorder;
import dev.telemetry.bus.DefaultTelemetryEventBus;
import dev.telemetry.bus.HandlerFailurePolicy;
import dev.telemetry.bus.TraceSpans;
import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.core.Single;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.aop.Advisor;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.support.AopUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TelemetryEventInterceptorTests {

	private final DefaultTelemetryEventBus bus = new DefaultTelemetryEventBus();

	private final TelemetryEventMethods methods = new TelemetryEventMethods();

	private final List<String> events = new CopyOnWriteArrayList<>();

	private final List<Map<String, Object>> metadata = new CopyOnWriteArrayList<>();

	private final List<Map<String, Number>> measurements = new CopyOnWriteArrayList<>();

	private CheckoutService service;

	@BeforeEach
	void setUp() {
		this.bus.attach("recorder", EventName.parse("shop.**"), (event, m, md, config) -> {
			this.events.add(event.toString());
			this.measurements.add(Map.copyOf(m));
			this.metadata.add(new java.util.HashMap<>(md));
		}, null);
		this.service = proxy(new CheckoutService());
	}

	@SuppressWarnings("unchecked")
	private <T> T proxy(T target) {
		ProxyFactory factory = new ProxyFactory(target);
		factory.setProxyTargetClass(true);
		factory.addAdvisor(new TelemetryEventAdvisor(() -> this.bus, () -> this.methods));
		return (T) factory.getProxy();
	}

	// An annotated method emits start and stop, and returns its result.
	@Test
	void emitsStartAndStop() {
		assertThat(this.service.checkout("c-1", List.of("a", "b"))).isEqualTo("order-c-1");
		assertThat(this.events).containsExactly("shop.checkout.start", "shop.checkout.stop");
		assertThat(this.measurements.get(1)).containsKeys("duration", "monotonic_time");
	}

	// Metadata comes from SpEL over the arguments by name, #p0 and #a0, on start and stop.
	@Test
	void evaluatesMetadataOverArguments() {
		this.service.checkout("c-1", List.of("a", "b"));
		assertThat(this.metadata.get(0)).containsEntry("customer_id", "c-1")
			.containsEntry("cart_size", 2)
			.containsEntry("first", "c-1");
		assertThat(this.metadata.get(1)).containsEntry("customer_id", "c-1");
	}

	// Stop metadata and measurements see the result as #result.
	@Test
	void evaluatesStopExpressionsOverResult() {
		this.service.checkout("c-1", List.of("a", "b"));
		assertThat(this.metadata.get(1)).containsEntry("order_id", "order-c-1");
		assertThat(this.measurements.get(1)).containsEntry("order_length", 9);
	}

	// The method's exception reaches the caller unchanged, after an exception event.
	@Test
	void rethrowsOriginalException() {
		assertThatThrownBy(() -> this.service.checkout("declined", List.of("a")))
			.isInstanceOf(PaymentDeclinedException.class)
			.hasMessage("card declined");
		assertThat(this.events).containsExactly("shop.checkout.start", "shop.checkout.exception");
		assertThat(this.metadata.get(1)).containsEntry("kind", PaymentDeclinedException.class.getName())
			.containsEntry("reason", "card declined")
			.containsEntry("customer_id", "declined");
	}

	// An expression that throws at run time drops its key and never breaks the call.
	@Test
	void failingExpressionDropsKeyOnly() {
		assertThat(this.service.checkout("c-1", null)).isEqualTo("order-c-1");
		assertThat(this.metadata.get(0)).containsEntry("customer_id", "c-1").doesNotContainKey("cart_size");
		assertThat(this.methods.expressionFailures().summary().count()).isEqualTo(1);
		// The endpoint names the method and the key, never the value it failed on.
		ExpressionFailures.Summary failures = new TelemetryEndpoint(true, new BusStatistics(10), this.methods,
				List::of, null)
			.telemetry()
			.diagnostics()
			.expressionFailures();
		assertThat(failures.count()).isEqualTo(1);
		assertThat(failures.lastMethod()).contains("checkout");
		assertThat(failures.lastKey()).isEqualTo("cart_size");
		assertThat(failures.lastTime()).isNotNull();
	}

	// A measurement expression that gives no number is dropped and counted.
	@Test
	void nonNumericMeasurementIsDropped() {
		this.service.label("x");
		assertThat(this.measurements.get(1)).doesNotContainKey("label");
		assertThat(this.methods.expressionFailures().summary().count()).isEqualTo(1);
	}

	// A CompletableFuture method ends its span when the future completes, not when it returns.
	@Test
	void completableFutureEndsOnCompletion() {
		CompletableFuture<String> pending = new CompletableFuture<>();
		CompletableFuture<String> returned = this.service.later(pending);
		assertThat(returned).isSameAs(pending);
		assertThat(this.events).containsExactly("shop.later.start");
		pending.complete("done");
		assertThat(this.events).containsExactly("shop.later.start", "shop.later.stop");
		assertThat(this.metadata.get(1)).containsEntry("value", "done");
	}

	// A CompletableFuture that fails ends with an exception event carrying the real cause.
	@Test
	void completableFutureFailureEmitsException() {
		CompletableFuture<String> pending = new CompletableFuture<>();
		// A dependent stage, as supplyAsync's, fails with a CompletionException around the cause.
		this.service.later(pending.thenApply((value) -> value));
		pending.completeExceptionally(new PaymentDeclinedException("later declined"));
		assertThat(this.events).containsExactly("shop.later.start", "shop.later.exception");
		assertThat(this.metadata.get(1)).containsEntry("kind", PaymentDeclinedException.class.getName());
	}

	// A Mono starts its span on subscription and ends it when it completes.
	@Test
	void monoEndsOnCompletion() {
		Mono<String> mono = this.service.reactive("r");
		assertThat(this.events).isEmpty();
		assertThat(mono.block()).isEqualTo("r!");
		assertThat(this.events).containsExactly("shop.reactive.start", "shop.reactive.stop");
		assertThat(this.metadata.get(1)).containsEntry("value", "r!");
	}

	// A Flux that errors ends with an exception event.
	@Test
	void fluxErrorEmitsException() {
		assertThatThrownBy(() -> this.service.stream().blockLast()).isInstanceOf(PaymentDeclinedException.class);
		assertThat(this.events).containsExactly("shop.stream.start", "shop.stream.exception");
	}

	// A subscriber that cancels ends the span with the stop event, marked cancelled.
	@Test
	void cancellationEndsTheSpan() {
		assertThat(this.service.stream().take(1).blockLast()).isEqualTo("a");
		assertThat(this.events).containsExactly("shop.stream.start", "shop.stream.stop");
		assertThat(this.metadata.get(1)).containsEntry("cancelled", true);
	}

	// span = false emits the events and records no trace span; by default the method records one.
	@Test
	void spanFalseRecordsNoTraceSpan() {
		List<String> traced = new CopyOnWriteArrayList<>();
		TraceSpans traceSpans = (name, metadata) -> {
			traced.add(name.toString());
			return TraceSpans.TraceSpan.NONE;
		};
		DefaultTelemetryEventBus tracingBus = new DefaultTelemetryEventBus(HandlerFailurePolicy.DETACH,
				Duration.ofMinutes(1), traceSpans, BusRecorder.NONE);
		tracingBus.attach("recorder", EventName.parse("shop.**"),
				(event, m, md, config) -> this.events.add(event.toString()), null);
		ProxyFactory factory = new ProxyFactory(new CheckoutService());
		factory.setProxyTargetClass(true);
		factory.addAdvisor(new TelemetryEventAdvisor(() -> tracingBus, () -> this.methods));
		CheckoutService service = (CheckoutService) factory.getProxy();
		assertThat(service.quiet("q")).isEqualTo("q");
		assertThat(service.label("l")).isEqualTo("l");
		assertThat(this.events).containsExactly("shop.quiet.start", "shop.quiet.stop", "shop.label.start",
				"shop.label.stop");
		assertThat(traced).containsExactly("shop.label");
	}

	// An RxJava Single, adapted by Spring's ReactiveAdapterRegistry, is still a Single: its span starts on
	// subscription and ends with its value.
	@Test
	void rxSingleEndsOnSuccess() {
		Single<String> single = this.service.rxSingle("r");
		assertThat(this.events).isEmpty();
		assertThat(single.blockingGet()).isEqualTo("r?");
		assertThat(this.events).containsExactly("shop.rx.start", "shop.rx.stop");
		assertThat(this.metadata.get(1)).containsEntry("value", "r?");
	}

	// An RxJava Flowable that errors ends with an exception event, once per subscription.
	@Test
	void rxFlowableErrorEmitsExceptionPerSubscription() {
		Flowable<String> flowable = this.service.rxStream();
		assertThatThrownBy(flowable::blockingLast).isInstanceOf(PaymentDeclinedException.class);
		assertThatThrownBy(flowable::blockingLast).isInstanceOf(PaymentDeclinedException.class);
		assertThat(this.events).containsExactly("shop.rxstream.start", "shop.rxstream.exception",
				"shop.rxstream.start", "shop.rxstream.exception");
	}

	// A reactive method that throws before it returns a publisher ends its span with the exception event.
	@Test
	void reactiveMethodThrowingBeforeItReturnsEmitsException() {
		assertThatThrownBy(() -> this.service.find("")).isInstanceOf(IllegalArgumentException.class);
		assertThat(this.events).containsExactly("shop.find.start", "shop.find.exception");
	}

	// A generic interface's method implemented with a Flowable gives the caller a Flowable, not a Flux,
	// though the method an interface proxy invokes returns Object.
	@Test
	void genericMethodReturningAFlowableStaysAFlowable() {
		ProxyFactory factory = new ProxyFactory(new FlowableLoader());
		factory.addAdvisor(new TelemetryEventAdvisor(() -> this.bus, () -> this.methods));
		@SuppressWarnings("unchecked")
		Loader<Flowable<String>> loader = (Loader<Flowable<String>>) factory.getProxy();
		Flowable<String> loaded = loader.load();
		assertThat(loaded.blockingFirst()).isEqualTo("a");
		assertThat(this.events).containsExactly("shop.load.start", "shop.load.stop");
	}

	// A bean whose only annotated methods are final, private or static is not proxied: a class proxy would
	// run a final method on the proxy instance, whose fields are not set.
	@Test
	void unadvisableMethodsMakeNoProxy() {
		Advisor advisor = new TelemetryEventAdvisor(() -> this.bus, () -> this.methods);
		assertThat(AopUtils.canApply(advisor, UnadvisableService.class)).isFalse();
		assertThat(AopUtils.canApply(advisor, CheckoutService.class)).isTrue();
	}

	// A method implementing a generic interface is advised when called through the interface (its bridge
	// method), through a class proxy and through an interface proxy alike.
	@Test
	void genericInterfaceMethodIsAdvised() {
		@SuppressWarnings("unchecked")
		Handler<String> byClass = (Handler<String>) proxy(new StringHandler());
		ProxyFactory factory = new ProxyFactory(new StringHandler());
		factory.addAdvisor(new TelemetryEventAdvisor(() -> this.bus, () -> this.methods));
		@SuppressWarnings("unchecked")
		Handler<String> byInterface = (Handler<String>) factory.getProxy();
		assertThat(byClass.handle("a")).isEqualTo("a!");
		assertThat(byInterface.handle("b")).isEqualTo("b!");
		assertThat(this.events).containsExactly("shop.handle.start", "shop.handle.stop", "shop.handle.start",
				"shop.handle.stop");
	}

	// A method inherited from a superclass, and an override of an annotated abstract method, are advised.
	@Test
	void inheritedAndOverriddenMethodsAreAdvised() {
		ConcreteJob job = proxy(new ConcreteJob());
		job.run();
		job.inherited();
		assertThat(this.events).containsExactly("shop.job.start", "shop.job.stop", "shop.inherited.start",
				"shop.inherited.stop");
	}

	// On a type, the annotation applies to its public methods only.
	@Test
	void typeAnnotationAppliesToPublicMethods() {
		InventoryService inventory = proxy(new InventoryService());
		inventory.reserve("sku-1");
		inventory.internal();
		assertThat(this.events).containsExactly("shop.inventory.start", "shop.inventory.stop");
	}

	// A bad annotation met only at call time (never scanned at start-up) does not break the call.
	@Test
	void badAnnotationAtCallTimeDoesNotBreakCall() {
		BadService bad = proxy(new BadService());
		assertThat(bad.pay(5)).isEqualTo(5);
		assertThat(this.events).isEmpty();
	}

	// A method annotation wins over the type annotation.
	@Test
	void methodAnnotationOverridesType() {
		proxy(new InventoryService()).release("sku-1");
		assertThat(this.events).containsExactly("shop.inventory.release.start", "shop.inventory.release.stop");
	}

	// An annotation on an interface method applies to the implementation, as the scanner compiles it.
	@Test
	void adviseMethodsAnnotatedOnTheirInterface() {
		this.<Greeter>proxy(new PoliteGreeter()).greet("ada");
		assertThat(this.events).containsExactly("shop.greet.start", "shop.greet.stop");
		assertThat(this.metadata.get(0)).containsEntry("name", "ada");
	}

	// A method of an unannotated type that is not annotated itself is not advised.
	@Test
	void leavesUnannotatedMethodsAlone() {
		this.<Greeter>proxy(new PoliteGreeter()).farewell("ada");
		assertThat(this.events).isEmpty();
	}

	// A bean that is itself a JDK proxy with no class behind its interface, as Spring Data makes
	// repositories, is advised by its interface's annotations, through the auto-proxy's second proxy.
	@Test
	void advisesJdkProxyTargetsByTheirInterfaces() {
		Store owners = repositoryProxy(Store.class, "owner");
		owners.find("ada");
		owners.count();
		assertThat(this.events).containsExactly("shop.store.find.start", "shop.store.find.stop");
		assertThat(this.metadata.get(1)).containsEntry("key", "ada").containsEntry("found", "owner:ada");
	}

	// Two repository interfaces annotated on the type keep their own prefixes for the methods they inherit.
	@Test
	void inheritedMethodsTakeThePrefixOfEachAnnotatedInterface() {
		repositoryProxy(Pets.class, "pet").count();
		repositoryProxy(Visits.class, "visit").count();
		assertThat(this.events).containsExactly("shop.pets.start", "shop.pets.stop", "shop.visits.start",
				"shop.visits.stop");
	}

	// A JDK proxy's own methods are final, but the user annotated its interface: none is reported unadvisable.
	@Test
	void scanningAJdkProxyClassReportsNothingUnadvisable() {
		this.methods.scan(repositoryProxy(Store.class, "owner").getClass());
		this.methods.scan(((Advised) repositoryProxy(Store.class, "owner"))
			.getTargetSource()
			.getTargetClass());
		assertThat(this.methods.unadvisable()).isEmpty();
		assertThat(this.methods.methods()).extracting((method) -> (Object) method.method().getDeclaringClass())
			.containsOnly(Store.class);
	}

	/**
	 * A repository as Spring Data makes one, a JDK proxy that answers every call itself, wrapped
	 * by a second JDK proxy with the advisor, as the auto-proxy creator wraps it.
	 */
	@SuppressWarnings("unchecked")
	private <T> T repositoryProxy(Class<T> repositoryInterface, String kind) {
		Object repository = Proxy.newProxyInstance(getClass().getClassLoader(),
				new Class<?>[] { repositoryInterface }, (proxy, method, arguments) -> switch (method.getName()) {
					case "find" -> kind + ":" + arguments[0];
					case "count" -> 3L;
					default -> throw new UnsupportedOperationException(method.getName());
				});
		ProxyFactory factory = new ProxyFactory(repository);
		factory.setInterfaces(repositoryInterface);
		factory.addAdvisor(new TelemetryEventAdvisor(() -> this.bus, () -> this.methods));
		return (T) factory.getProxy();
	}

	public interface BaseRepository {

		long count();

	}

	public interface Store extends BaseRepository {

		@TelemetryEvent(value = "shop.store.find", metadata = "key=#key", stopMetadata = "found=#result")
		String find(String key);

	}

	@TelemetryEvent("shop.pets")
	public interface Pets extends BaseRepository {

	}

	@TelemetryEvent("shop.visits")
	public interface Visits extends BaseRepository {

	}

	public interface Greeter {

		@TelemetryEvent(value = "shop.greet", metadata = "name=#name")
		String greet(String name);

		String farewell(String name);

	}

	public static class PoliteGreeter implements Greeter {

		@Override
		public String greet(String name) {
			return "hello " + name;
		}

		@Override
		public String farewell(String name) {
			return "bye " + name;
		}

	}

	public static class CheckoutService {

		@TelemetryEvent(value = "shop.checkout",
				metadata = { "customer_id=#customerId", "cart_size=#items.size()", "first=#p0" },
				stopMetadata = "order_id=#result", measurements = "order_length=#result.length()")
		public String checkout(String customerId, List<String> items) {
			if ("declined".equals(customerId)) {
				throw new PaymentDeclinedException("card declined");
			}
			return "order-" + customerId;
		}

		@TelemetryEvent(value = "shop.quiet", span = false)
		public String quiet(String value) {
			return value;
		}

		@TelemetryEvent(value = "shop.label", measurements = "label=#result")
		public String label(String value) {
			return value;
		}

		@TelemetryEvent(value = "shop.later", stopMetadata = "value=#result")
		public CompletableFuture<String> later(CompletableFuture<String> future) {
			return future;
		}

		@TelemetryEvent(value = "shop.reactive", stopMetadata = "value=#result")
		public Mono<String> reactive(String value) {
			return Mono.fromSupplier(() -> value + "!");
		}

		@TelemetryEvent("shop.stream")
		public Flux<String> stream() {
			return Flux.concat(Flux.just("a"), Flux.error(new PaymentDeclinedException("stream declined")));
		}

		@TelemetryEvent(value = "shop.rx", stopMetadata = "value=#result")
		public Single<String> rxSingle(String value) {
			return Single.fromCallable(() -> value + "?");
		}

		@TelemetryEvent("shop.rxstream")
		public Flowable<String> rxStream() {
			return Flowable.concat(Flowable.just("a"), Flowable.error(new PaymentDeclinedException("rx declined")));
		}

		@TelemetryEvent("shop.find")
		public Mono<String> find(String id) {
			if (id.isEmpty()) {
				throw new IllegalArgumentException("no id");
			}
			return Mono.just(id);
		}

	}

	public static class UnadvisableService {

		private final String prefix = "quote-";

		@TelemetryEvent("shop.quote")
		public final String quote(String sku) {
			return this.prefix + sku;
		}

		@TelemetryEvent("shop.secret")
		private String secret() {
			return this.prefix;
		}

		@TelemetryEvent("shop.helper")
		public static String helper() {
			return "";
		}

	}

	public interface Loader<T> {

		@TelemetryEvent("shop.load")
		T load();

	}

	public static class FlowableLoader implements Loader<Flowable<String>> {

		@Override
		public Flowable<String> load() {
			return Flowable.just("a");
		}

	}

	@TelemetryEvent("shop.inventory")
	public static class InventoryService {

		public void reserve(String sku) {
		}

		@TelemetryEvent("shop.inventory.release")
		public void release(String sku) {
		}

		protected void internal() {
		}

	}

	public static class BadService {

		@TelemetryEvent(value = "shop.pay", metadata = "amount=#amount)(")
		public int pay(int amount) {
			return amount;
		}

	}

	static class PaymentDeclinedException extends RuntimeException {

		PaymentDeclinedException(String message) {
			super(message);
		}

	}

	interface Handler<T> {

		T handle(T command);

	}

	static class StringHandler implements Handler<String> {

		@Override
		@TelemetryEvent("shop.handle")
		public String handle(String command) {
			return command + "!";
		}

	}

	abstract static class AbstractJob {

		@TelemetryEvent("shop.job")
		public abstract void run();

		@TelemetryEvent("shop.inherited")
		public void inherited() {
		}

	}

	static class ConcreteJob extends AbstractJob {

		@Override
		public void run() {
		}

	}

}
