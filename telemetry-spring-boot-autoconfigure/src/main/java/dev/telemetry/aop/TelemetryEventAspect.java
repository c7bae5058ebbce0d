package dev.telemetry.aop;

import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

import dev.telemetry.TelemetryEventBus;
import dev.telemetry.TelemetrySpan;
import org.aspectj.lang.ProceedingJoinPoint;
import org.aspectj.lang.annotation.Around;
import org.aspectj.lang.annotation.Aspect;
import org.aspectj.lang.reflect.MethodSignature;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;

/**
 * The advice of {@link dev.telemetry.TelemetryEvent @TelemetryEvent}: runs the method as a span
 * of the bus, ending it when the method returns or throws, or when its asynchronous result
 * completes. The method's exception reaches the caller unchanged.
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
@Aspect
public class TelemetryEventAspect {

	private final TelemetryEventBus bus;

	private final TelemetryEventMethods methods;

	/**
	 * Create the aspect.
	 * @param bus the bus that emits the events
	 * @param methods the compiled annotated methods
	 */
	public TelemetryEventAspect(TelemetryEventBus bus, TelemetryEventMethods methods) {
		this.bus = bus;
		this.methods = methods;
	}

	/**
	 * Advise an annotated method, or a public method of an annotated type.
	 * @param joinPoint the call
	 * @return what the method returned
	 * @throws Throwable what the method threw
	 */
	@Around("execution(@dev.telemetry.TelemetryEvent * *(..)) "
			+ "|| (@within(dev.telemetry.TelemetryEvent) && execution(public * *(..)))")
	public @Nullable Object around(ProceedingJoinPoint joinPoint) throws Throwable {
		MethodSignature signature = (MethodSignature) joinPoint.getSignature();
		Object target = joinPoint.getTarget();
		Class<?> targetClass = (target != null) ? AopUtils.getTargetClass(target) : signature.getDeclaringType();
		TelemetryEventMethod method = this.methods.forInvocation(signature.getMethod(), targetClass);
		if (method == null) {
			return joinPoint.proceed();
		}
		Object[] arguments = joinPoint.getArgs();
		ExpressionFailures failures = this.methods.expressionFailures();
		if (method.result() == TelemetryEventMethod.ResultKind.REACTIVE) {
			Object publisher = joinPoint.proceed();
			return (publisher != null) ? ReactiveResults.decorate(publisher,
					() -> this.bus.startSpan(method.prefix(), method.startMetadata(target, arguments, failures),
							method.span()),
					(span, value) -> method.stop(span, target, arguments, value, failures)) : null;
		}
		TelemetrySpan span = this.bus.startSpan(method.prefix(), method.startMetadata(target, arguments, failures),
				method.span());
		Object result;
		try (TelemetrySpan.Scope scope = span.makeCurrent()) {
			result = joinPoint.proceed();
		}
		catch (Throwable ex) {
			span.exception(ex);
			throw ex;
		}
		if (method.result() == TelemetryEventMethod.ResultKind.COMPLETION_STAGE && result != null) {
			((CompletionStage<?>) result).whenComplete((value, failure) -> {
				if (failure != null) {
					span.exception(unwrap(failure));
				}
				else {
					method.stop(span, target, arguments, value, failures);
				}
			});
			return result;
		}
		method.stop(span, target, arguments, result, failures);
		return result;
	}

	private static Throwable unwrap(Throwable failure) {
		if ((failure instanceof CompletionException || failure instanceof ExecutionException)
				&& failure.getCause() != null) {
			return failure.getCause();
		}
		return failure;
	}

}
