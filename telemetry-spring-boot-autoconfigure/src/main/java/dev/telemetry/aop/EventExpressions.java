package dev.telemetry.aop;

import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;

import dev.telemetry.InvalidTelemetryDeclarationException;
import org.jspecify.annotations.Nullable;

import org.springframework.expression.EvaluationContext;
import org.springframework.expression.Expression;
import org.springframework.expression.ParseException;
import org.springframework.expression.spel.standard.SpelExpressionParser;

/**
 * The {@code key=SpEL} expressions of one attribute of a {@code @TelemetryEvent}, parsed once.
 * Evaluation never throws: an expression that fails drops its key and is reported.
 *
 * @author telemetry-spring-boot
 */
final class EventExpressions {

	static final EventExpressions NONE = new EventExpressions(new String[0], new String[0], new Expression[0]);

	private final String[] keys;

	private final String[] sources;

	private final Expression[] expressions;

	private EventExpressions(String[] keys, String[] sources, Expression[] expressions) {
		this.keys = keys;
		this.sources = sources;
		this.expressions = expressions;
	}

	/**
	 * Parse the {@code key=SpEL} definitions of one attribute of the annotation of a method.
	 * @throws InvalidTelemetryDeclarationException naming the method, the attribute and the definition
	 * that is not valid
	 */
	static EventExpressions parse(SpelExpressionParser parser, Method method, boolean declaredOnType,
			String attribute, String[] definitions) {
		if (definitions.length == 0) {
			return NONE;
		}
		String[] keys = new String[definitions.length];
		String[] sources = new String[definitions.length];
		Expression[] expressions = new Expression[definitions.length];
		for (int i = 0; i < definitions.length; i++) {
			String definition = definitions[i];
			int equals = definition.indexOf('=');
			if (equals <= 0 || definition.substring(0, equals).isBlank() || equals == definition.length() - 1) {
				throw TelemetryEventMethod.invalid(method, declaredOnType, attribute, definition,
						"an entry must be of the form key=expression",
						"Write each entry of " + attribute + " of @TelemetryEvent on "
								+ TelemetryEventMethod.location(method, declaredOnType)
								+ " as key=SpEL, e.g. 'cart_size=#cart.items().size()'.");
			}
			keys[i] = definition.substring(0, equals).trim();
			sources[i] = definition.substring(equals + 1).trim();
			try {
				expressions[i] = parser.parseExpression(sources[i]);
			}
			catch (ParseException ex) {
				throw TelemetryEventMethod.invalid(method, declaredOnType, attribute, definition,
						"the SpEL expression '" + sources[i] + "' does not parse at position " + ex.getPosition()
								+ ": " + ex.getSimpleMessage(),
						"Fix the expression of '" + keys[i] + "' in " + attribute + " of @TelemetryEvent on "
								+ TelemetryEventMethod.location(method, declaredOnType)
								+ ". It is SpEL over the arguments (#name, #p0, #a0)"
								+ ("metadata".equals(attribute) ? "" : " and the return value (#result)")
								+ ", e.g. 'cart_size=#cart.items().size()'.")
					.at((ex.getPosition() >= 0) ? definition.indexOf(sources[i], equals + 1) + ex.getPosition() : -1, ex);
			}
		}
		return new EventExpressions(keys, sources, expressions);
	}

	boolean isEmpty() {
		return this.keys.length == 0;
	}

	/**
	 * Evaluate every expression; a key whose expression throws, or (when {@code numeric}) gives
	 * something other than a number, is left out and reported.
	 */
	<V> Map<String, V> evaluate(EvaluationContext context, Class<V> type, ExpressionFailures failures,
			String method) {
		Map<String, V> values = new HashMap<>(this.keys.length * 2);
		for (int i = 0; i < this.keys.length; i++) {
			try {
				@Nullable Object value = this.expressions[i].getValue(context);
				if (value == null) {
					continue;
				}
				if (!type.isInstance(value)) {
					failures.report(method, this.keys[i], this.sources[i],
							"gave a " + value.getClass().getName() + ", not a " + type.getSimpleName());
					continue;
				}
				values.put(this.keys[i], type.cast(value));
			}
			catch (RuntimeException ex) {
				failures.report(method, this.keys[i], this.sources[i], ex.toString());
			}
		}
		return values;
	}

}
