package dev.telemetry.aop;

import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.regex.Pattern;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.expression.ParseException;

/**
 * Turns an {@link InvalidTelemetryEventException} into a start-up report that names the method,
 * the bean, the attribute and its value, and says how to fix it. An expression that does not
 * parse is shown with a caret under the position where the parser gave up.
 *
 * @author telemetry-spring-boot
 */
class InvalidTelemetryEventFailureAnalyzer extends AbstractFailureAnalyzer<InvalidTelemetryEventException> {

	private static final Pattern PACKAGES = Pattern.compile("\\b(?:[a-z_][\\w]*\\.)+");

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidTelemetryEventException cause) {
		StringBuilder description = new StringBuilder("@TelemetryEvent on ")
			.append(InvalidTelemetryEventException.location(cause.getMethod(), cause.isDeclaredOnType()));
		if (cause.getBeanName() != null) {
			description.append(" of bean '").append(cause.getBeanName()).append('\'');
		}
		description.append(" is not valid:\n\n");
		if (cause.getBeanName() != null) {
			description.append("    Bean:      '").append(cause.getBeanName()).append("'\n");
		}
		description.append("    Method:    ")
			.append(signature(cause.getMethod()))
			.append("\n    Attribute: ")
			.append(cause.getAttribute())
			.append(" = \"")
			.append(cause.getValue())
			.append("\"\n    Reason:    ")
			.append(cause.getReason());
		if (cause.getCause() instanceof ParseException parse && parse.getExpressionString() != null
				&& parse.getPosition() >= 0) {
			description.append("\n\n        ")
				.append(parse.getExpressionString())
				.append("\n        ")
				.append(" ".repeat(parse.getPosition()))
				.append('^');
		}
		return new FailureAnalysis(description.toString(), cause.getAction(), cause);
	}

	private static String signature(Method method) {
		StringBuilder signature = new StringBuilder(method.getDeclaringClass().getName()).append('.')
			.append(method.getName())
			.append('(');
		Type[] parameters = method.getGenericParameterTypes();
		for (int i = 0; i < parameters.length; i++) {
			signature.append((i > 0) ? ", " : "").append(PACKAGES.matcher(parameters[i].getTypeName()).replaceAll(""));
		}
		return signature.append(')').toString();
	}

}
