package dev.telemetry.aop;

import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

import dev.telemetry.TelemetryEventBus;
import dev.telemetry.TelemetrySpan;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.aop.support.AopUtils;
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
			Object publisher = invocation.proceed();
			return (publisher != null)
					? Reactor.decorate(publisher, () -> method.start(bus, target, arguments, failures),
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

	/** Names the Reactor types, so that the interceptor loads without Reactor. */
	static final class Reactor {

		static boolean isReactive(Class<?> type) {
			return Mono.class.isAssignableFrom(type) || Flux.class.isAssignableFrom(type);
		}

		static Object decorate(Object publisher, Supplier<TelemetrySpan> start,
				BiConsumer<TelemetrySpan, @Nullable Object> stop) {
			if (publisher instanceof Mono<?> mono) {
				return Mono.defer(() -> {
					TelemetrySpan span = start.get();
					return mono.doOnSuccess((value) -> stop.accept(span, value))
						.doOnError(span::exception)
						.doOnCancel(() -> span.stop(Map.of(), Map.of("cancelled", true)));
				});
			}
			return Flux.defer(() -> {
				TelemetrySpan span = start.get();
				return ((Flux<?>) publisher).doOnComplete(() -> stop.accept(span, null))
					.doOnError(span::exception)
					.doOnCancel(() -> span.stop(Map.of(), Map.of("cancelled", true)));
			});
		}

	}

}
