package dev.telemetry.aop;

import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.telemetry.TelemetryEventBus;
import dev.telemetry.TelemetrySpan;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

import org.springframework.aop.support.AopUtils;
import org.springframework.core.ReactiveAdapter;
import org.springframework.core.ReactiveAdapterRegistry;
import org.springframework.util.function.SingletonSupplier;

/**
 * The advice of {@link dev.telemetry.TelemetryEvent @TelemetryEvent}: a plain Spring AOP
 * interceptor, not an AspectJ aspect, so no join point object, reflective call or pointcut parsing.
 *
 * @author telemetry-spring-boot
 * @see TelemetryEventAdvisor
 */
final class TelemetryEventInterceptor implements MethodInterceptor {

	private final Supplier<TelemetryEventBus> bus;

	private final Supplier<TelemetryEventMethods> methods;

	TelemetryEventInterceptor(Supplier<TelemetryEventBus> bus, Supplier<TelemetryEventMethods> methods) {
		this.bus = SingletonSupplier.of(bus);
		this.methods = SingletonSupplier.of(methods);
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		Object target = invocation.getThis();
		Class<?> targetClass = (target == null) ? invocation.getMethod().getDeclaringClass()
				: Proxy.isProxyClass(target.getClass()) ? target.getClass() : AopUtils.getTargetClass(target);
		TelemetryEventMethods methods = this.methods.get();
		TelemetryEventMethod method = methods.forInvocation(invocation.getMethod(), targetClass);
		if (method == null) {
			return invocation.proceed();
		}
		TelemetryEventBus bus = this.bus.get();
		Object[] arguments = invocation.getArguments();
		ExpressionFailures failures = methods.expressionFailures();
		if (method.result() == TelemetryEventMethod.ResultKind.REACTIVE) {
			Object result;
			try {
				result = invocation.proceed();
			}
			catch (Throwable ex) {
				// Thrown before there was a publisher to subscribe to: the span is the call's.
				method.start(bus, target, arguments, failures).exception(ex);
				throw ex;
			}
			// The compiled method's type, not the invoked one's: a bridge method of a generic interface returns Object.
			return (result != null)
					? Reactor.decorate(result, method.method().getReturnType(),
							() -> method.start(bus, target, arguments, failures),
							(span, value) -> method.stop(span, target, arguments, value, failures))
					: null;
		}
		TelemetrySpan span = method.start(bus, target, arguments, failures);
		Object result;
		try (TelemetrySpan.Scope scope = span.makeCurrent()) {
			result = invocation.proceed();
		}
		catch (Throwable ex) {
			span.exception(ex);
			throw ex;
		}
		if (method.result() == TelemetryEventMethod.ResultKind.COMPLETION_STAGE && result != null) {
			((CompletionStage<?>) result).whenComplete((value, failure) -> {
				if (failure == null) {
					method.stop(span, target, arguments, value, failures);
				}
				else {
					boolean wrapped = failure instanceof CompletionException || failure instanceof ExecutionException;
					span.exception((wrapped && failure.getCause() != null) ? failure.getCause() : failure);
				}
			});
			return result;
		}
		method.stop(span, target, arguments, result, failures);
		return result;
	}

	/** Names the Reactor and context-propagation types, so that the interceptor loads without them. */
	static final class Reactor {

		private static final ContextSnapshotFactory SNAPSHOTS = ContextSnapshotFactory.builder().build();

		private static final ReactiveAdapterRegistry ADAPTERS = ReactiveAdapterRegistry.getSharedInstance();

		// Mono, Flux and what Spring adapts to them: Kotlin's Flow, RxJava's types, the JDK's Flow.Publisher.
		static boolean isReactive(Class<?> type) {
			return ADAPTERS.getAdapter(type) != null;
		}

		// The span starts on subscription in the trace of the subscriber's Reactor context, where WebFlux
		// keeps the request's Observation, and the publisher runs with the span in its own context.
		// The adapter of the declared type first: a Flowable is a Publisher too, and by its class alone it would
		// be given back as a Flux. A Kotlin suspend function declares none and returns a Publisher.
		static Object decorate(Object result, Class<?> declaredType, Supplier<TelemetrySpan> start,
				BiConsumer<TelemetrySpan, @Nullable Object> stop) {
			ReactiveAdapter declared = ADAPTERS.getAdapter(declaredType);
			ReactiveAdapter adapter = (declared != null) ? declared : ADAPTERS.getAdapter(result.getClass());
			if (adapter == null) {
				stop.accept(start.get(), result);
				return result;
			}
			Publisher<?> source = adapter.toPublisher(result);
			if (!adapter.isMultiValue()) {
				return adapter.fromPublisher(Mono.deferContextual((context) -> {
					TelemetrySpan span = start(context, start);
					return Mono.from(source)
						.contextWrite(inSpan(span))
						.doOnSuccess((value) -> stop.accept(span, value))
						.doOnError(span::exception)
						.doOnCancel(() -> span.stop(Map.of(), Map.of("cancelled", true)));
				}));
			}
			return adapter.fromPublisher(Flux.deferContextual((context) -> {
				TelemetrySpan span = start(context, start);
				return Flux.from(source)
					.contextWrite(inSpan(span))
					.doOnComplete(() -> stop.accept(span, null))
					.doOnError(span::exception)
					.doOnCancel(() -> span.stop(Map.of(), Map.of("cancelled", true)));
			}));
		}

		private static TelemetrySpan start(ContextView context, Supplier<TelemetrySpan> start) {
			try (ContextSnapshot.Scope scope = SNAPSHOTS.setThreadLocalsFrom(context)) {
				return start.get();
			}
		}

		private static Function<Context, Context> inSpan(TelemetrySpan span) {
			try (TelemetrySpan.Scope scope = span.makeCurrent()) {
				return SNAPSHOTS.captureAll()::updateContext;
			}
		}

	}

}
