package dev.telemetry.aop;

import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import dev.telemetry.EventName;
import dev.telemetry.InvalidTelemetryDeclarationException;
import dev.telemetry.TelemetryEvent;
import dev.telemetry.TelemetryEventBus;
import dev.telemetry.TelemetrySpan;
import org.jspecify.annotations.Nullable;

import org.springframework.context.expression.MethodBasedEvaluationContext;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.KotlinDetector;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.expression.EvaluationContext;
import org.springframework.expression.Expression;
import org.springframework.expression.ParseException;
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
public record TelemetryEventMethod(Method method, EventName prefix, boolean span, Expressions metadata,
		Expressions stopMetadata, Expressions measurements, ResultKind result) {

	private static final ParameterNameDiscoverer PARAMETER_NAMES = new DefaultParameterNameDiscoverer();

	// Reactive results also need Micrometer's context-propagation, which the starter brings with Micrometer Tracing.
	private static final boolean REACTOR_PRESENT = ClassUtils.isPresent("reactor.core.publisher.Mono",
			TelemetryEventMethod.class.getClassLoader())
			&& ClassUtils.isPresent("io.micrometer.context.ContextSnapshotFactory",
					TelemetryEventMethod.class.getClassLoader());

	// Throws InvalidTelemetryDeclarationException naming the method, the attribute and the value.
	static TelemetryEventMethod compile(Method method, TelemetryEvent annotation, boolean declaredOnType,
			SpelExpressionParser parser) {
		String where = declaredOnType
				? "class " + ClassUtils.getShortName(method.getDeclaringClass()) + " (applied to " + describe(method) + ")"
				: describe(method);
		return new TelemetryEventMethod(method, prefix(method, where, annotation.value()), annotation.span(),
				parse(parser, method, where, "metadata", annotation.metadata()),
				parse(parser, method, where, "stopMetadata", annotation.stopMetadata()),
				parse(parser, method, where, "measurements", annotation.measurements()),
				ResultKind.of(method));
	}

	private static EventName prefix(Method method, String where, String value) {
		try {
			EventName prefix = EventName.parse(value);
			if (!prefix.isPattern()) {
				return prefix;
			}
		}
		catch (IllegalArgumentException ex) {
			throw invalid(method, where, "value", value,
					(ex.getCause() != null) ? ex.getCause().getMessage() : ex.getMessage(),
					"Event prefixes are dotted segments of letters, digits, '_' and '-', like 'shop.checkout'"
							+ " (the events are then shop.checkout.start, .stop and .exception); fix the value of"
							+ " @TelemetryEvent on " + where + ".");
		}
		throw invalid(method, where, "value", value,
				"a prefix must not be a pattern: a '*' or '**' segment can be listened to but not emitted",
				"Give @TelemetryEvent on " + where + " the concrete name of the operation, like 'shop.checkout'; to"
						+ " receive the events of several operations, put the pattern in @TelemetryListener(events = ...)"
						+ " instead.");
	}

	private static Expressions parse(SpelExpressionParser parser, Method method, String where, String attribute,
			String[] definitions) {
		Expressions expressions = new Expressions(new String[definitions.length], new Expression[definitions.length]);
		for (int i = 0; i < definitions.length; i++) {
			String definition = definitions[i];
			int equals = definition.indexOf('=');
			if (equals <= 0 || definition.substring(0, equals).isBlank() || equals == definition.length() - 1) {
				throw invalid(method, where, attribute, definition, "an entry must be of the form key=expression",
						"Write each entry of " + attribute + " of @TelemetryEvent on " + where
								+ " as key=SpEL, e.g. 'cart_size=#cart.items().size()'.");
			}
			String key = definition.substring(0, equals).trim();
			String source = definition.substring(equals + 1).trim();
			expressions.keys[i] = key;
			try {
				expressions.parsed[i] = parser.parseExpression(source);
			}
			catch (ParseException ex) {
				throw invalid(method, where, attribute, definition,
						"the SpEL expression '" + source + "' does not parse at position " + ex.getPosition() + ": "
								+ ex.getSimpleMessage(),
						"Fix the expression of '" + key + "' in " + attribute + " of @TelemetryEvent on " + where
								+ ". It is SpEL over the arguments (#name, #p0, #a0)"
								+ ("metadata".equals(attribute) ? "" : " and the return value (#result)")
								+ ", e.g. 'cart_size=#cart.items().size()'.")
					.at((ex.getPosition() >= 0) ? definition.indexOf(source, equals + 1) + ex.getPosition() : -1, ex);
			}
		}
		return expressions;
	}

	private static InvalidTelemetryDeclarationException invalid(Method method, String where, String attribute,
			String value, String reason, String action) {
		return new InvalidTelemetryDeclarationException("@TelemetryEvent on " + where, Map.of("Method", method),
				attribute, value, reason, action);
	}

	static String describe(Method method) {
		return ClassUtils.getShortName(method.getDeclaringClass()) + "." + method.getName() + "()";
	}

	TelemetrySpan start(TelemetryEventBus bus, @Nullable Object target, Object[] arguments,
			ExpressionFailures failures) {
		Map<String, Object> metadata = (this.metadata.keys.length == 0) ? Map.of()
				: this.metadata.evaluate(context(target, arguments, null), Object.class, failures, this.method);
		return bus.startSpan(this.prefix, metadata, this.span);
	}

	void stop(TelemetrySpan span, @Nullable Object target, Object[] arguments, @Nullable Object result,
			ExpressionFailures failures) {
		if (this.stopMetadata.keys.length == 0 && this.measurements.keys.length == 0) {
			span.stop(Map.of(), Map.of());
			return;
		}
		EvaluationContext context = context(target, arguments, result);
		span.stop(this.measurements.evaluate(context, Number.class, failures, this.method),
				this.stopMetadata.evaluate(context, Object.class, failures, this.method));
	}

	private EvaluationContext context(@Nullable Object target, Object[] arguments, @Nullable Object result) {
		MethodBasedEvaluationContext context = new MethodBasedEvaluationContext(target, this.method, arguments,
				PARAMETER_NAMES);
		context.setVariable("result", result);
		return context;
	}

	/** The {@code key=SpEL} entries of one attribute; evaluation leaves out and reports a key that fails. */
	record Expressions(String[] keys, Expression[] parsed) {

		<V> Map<String, V> evaluate(EvaluationContext context, Class<V> type, ExpressionFailures failures,
				Method method) {
			Map<String, V> values = new HashMap<>(this.keys.length * 2);
			for (int i = 0; i < this.keys.length; i++) {
				try {
					@Nullable Object value = this.parsed[i].getValue(context);
					if (type.isInstance(value)) {
						values.put(this.keys[i], type.cast(value));
					}
					else if (value != null) {
						failures.report(method, this.keys[i], this.parsed[i],
								"gave a " + value.getClass().getName() + ", not a " + type.getSimpleName());
					}
				}
				catch (RuntimeException ex) {
					failures.report(method, this.keys[i], this.parsed[i], ex.toString());
				}
			}
			return values;
		}

	}

	/** How a method gives its result, and so when its span ends (a Reactor one's starts on subscription). */
	enum ResultKind {

		PLAIN, COMPLETION_STAGE, REACTIVE;

		static ResultKind of(Method method) {
			Class<?> returnType = method.getReturnType();
			if (CompletionStage.class.isAssignableFrom(returnType)) {
				return COMPLETION_STAGE;
			}
			// Spring AOP hands the interceptors of a Kotlin suspending function a Publisher of its result.
			return (REACTOR_PRESENT && (TelemetryEventInterceptor.Reactor.isReactive(returnType)
					|| KotlinDetector.isSuspendingFunction(method))) ? REACTIVE : PLAIN;
		}

	}

}
