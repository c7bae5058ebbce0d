package dev.telemetry.listener;

import java.lang.reflect.Method;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns an {@link InvalidTelemetryListenerException} into a start-up report that names the bean,
 * its class and method, what is wrong with which value, and how to fix it.
 *
 * @author telemetry-spring-boot
 */
class InvalidTelemetryListenerFailureAnalyzer extends AbstractFailureAnalyzer<InvalidTelemetryListenerException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidTelemetryListenerException cause) {
		Method method = cause.getMethod();
		StringBuilder description = new StringBuilder("@TelemetryListener on ")
			.append(InvalidTelemetryListenerException.location(cause.getBeanType(), method))
			.append(" of bean '")
			.append(cause.getBeanName())
			.append("' is not valid:\n\n    Bean:      '")
			.append(cause.getBeanName())
			.append("' (")
			.append(cause.getBeanType().getName())
			.append(")\n");
		if (method != null) {
			description.append("    Method:    ")
				.append(method.getDeclaringClass().getName())
				.append('.')
				.append(method.getName())
				.append(ListenerMethodSignature.describe(method.getGenericParameterTypes()))
				.append('\n');
		}
		description.append("    Attribute: ")
			.append(cause.getAttribute())
			.append(" = \"")
			.append(cause.getValue())
			.append("\"\n    Reason:    ")
			.append(cause.getReason());
		return new FailureAnalysis(description.toString(), cause.getAction(), cause);
	}

}
