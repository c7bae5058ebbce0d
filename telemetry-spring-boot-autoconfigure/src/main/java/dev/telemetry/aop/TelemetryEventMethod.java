package dev.telemetry.aop;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import dev.telemetry.EventName;
import dev.telemetry.InvalidTelemetryDeclarationException;
import dev.telemetry.TelemetryEvent;
import dev.telemetry.TelemetrySpan;
import org.jspecify.annotations.Nullable;

import org.springframework.context.expression.MethodBasedEvaluationContext;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.util.ClassUtils;

/**
 * A {@code @TelemetryEvent} method, compiled once: its event prefix and parsed expressions.
 *
 * @param method the annotated method
 * @param prefix the event prefix
 * @param span whether a trace span is recorded
 * @param metadata start metadata expressions
 * @param stopMetadata stop metadata expressions
 * @param measurements stop measurement expressions
 * @param result how the method returns its result
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
public record TelemetryEventMethod(Method method, EventName prefix, boolean span, EventExpressions metadata,
		EventExpressions stopMetadata, EventExpressions measurements, ResultKind result) {

	private static final ParameterNameDiscoverer PARAMETER_NAMES = new DefaultParameterNameDiscoverer();

	/**
	 * Compile a method with its annotation, found on the method or on its type.
	 * @throws InvalidTelemetryDeclarationException naming the method, the attribute and the value
	 */
	static TelemetryEventMethod compile(Method method, TelemetryEvent annotation, boolean declaredOnType,
			SpelExpressionParser parser) {
		EventName prefix = prefix(method, annotation.value(), declaredOnType);
		return new TelemetryEventMethod(method, prefix, annotation.span(),
				EventExpressions.parse(parser, method, declaredOnType, "metadata", annotation.metadata()),
				EventExpressions.parse(parser, method, declaredOnType, "stopMetadata", annotation.stopMetadata()),
				EventExpressions.parse(parser, method, declaredOnType, "measurements", annotation.measurements()),
				ResultKind.of(method.getReturnType()));
	}

	private static EventName prefix(Method method, String value, boolean declaredOnType) {
		String where = location(method, declaredOnType);
		EventName prefix;
		try {
			prefix = EventName.parse(value);
		}
		catch (IllegalArgumentException ex) {
			String reason = (ex.getCause() != null) ? ex.getCause().getMessage() : ex.getMessage();
			throw invalid(method, declaredOnType, "value", value, reason,
					"Event prefixes are dotted segments of letters, digits, '_' and '-', like 'shop.checkout'"
							+ " (the events are then shop.checkout.start, .stop and .exception); fix the value of"
							+ " @TelemetryEvent on " + where + ".");
		}
		if (prefix.isPattern()) {
			throw invalid(method, declaredOnType, "value", value,
					"a prefix must not be a pattern: a '*' or '**' segment can be listened to but not emitted",
					"Give @TelemetryEvent on " + where + " the concrete name of the operation, like"
							+ " 'shop.checkout'; to receive the events of several operations, put the pattern in"
							+ " @TelemetryListener(events = ...) instead.");
		}
		return prefix;
	}

	static InvalidTelemetryDeclarationException invalid(Method method, boolean declaredOnType, String attribute,
			String value, String reason, String action) {
		return new InvalidTelemetryDeclarationException("@TelemetryEvent on " + location(method, declaredOnType),
				Map.of("Method", method), attribute, value, reason, action);
	}

	static String location(Method method, boolean declaredOnType) {
		String described = describe(method);
		if (declaredOnType) {
			return "class " + ClassUtils.getShortName(method.getDeclaringClass()) + " (applied to " + described + ")";
		}
		return described;
	}

	static String describe(Method method) {
		return ClassUtils.getShortName(method.getDeclaringClass()) + "." + method.getName() + "()";
	}

	Map<String, Object> startMetadata(@Nullable Object target, Object[] arguments, ExpressionFailures failures) {
		if (this.metadata.isEmpty()) {
			return Map.of();
		}
		return this.metadata.evaluate(context(target, arguments, null), Object.class, failures, describe(this.method));
	}

	void stop(TelemetrySpan span, @Nullable Object target, Object[] arguments, @Nullable Object result,
			ExpressionFailures failures) {
		if (this.stopMetadata.isEmpty() && this.measurements.isEmpty()) {
			span.stop(Map.of(), Map.of());
			return;
		}
		MethodBasedEvaluationContext context = context(target, arguments, result);
		String description = describe(this.method);
		span.stop(this.measurements.evaluate(context, Number.class, failures, description),
				this.stopMetadata.evaluate(context, Object.class, failures, description));
	}

	private MethodBasedEvaluationContext context(@Nullable Object target, Object[] arguments,
			@Nullable Object result) {
		MethodBasedEvaluationContext context = new MethodBasedEvaluationContext(target, this.method, arguments,
				PARAMETER_NAMES);
		context.setVariable("result", result);
		return context;
	}

	/**
	 * How a method gives its result, and so when its span ends: when it returns, when the
	 * returned {@code CompletionStage} completes, or when the returned Reactor publisher
	 * completes, errors or is cancelled (the span then starts on subscription).
	 */
	enum ResultKind {

		PLAIN, COMPLETION_STAGE, REACTIVE;

		static ResultKind of(Class<?> returnType) {
			if (CompletionStage.class.isAssignableFrom(returnType)) {
				return COMPLETION_STAGE;
			}
			return ReactiveResults.isReactive(returnType) ? REACTIVE : PLAIN;
		}

	}

}
