package dev.telemetry.listener;

import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Map;

import dev.telemetry.EventName;
import dev.telemetry.InvalidTelemetryDeclarationException;

/**
 * Checks that a {@code @TelemetryListener} method takes
 * {@code (EventName, Map<String, Number>, Map<String, Object>)}.
 *
 * @author telemetry-spring-boot
 */
final class ListenerMethodSignature {

	static final String REQUIRED = "(EventName event, Map<String, Number> measurements, Map<String, Object> metadata)";

	private ListenerMethodSignature() {
	}

	static void check(Method method, String beanName, Class<?> beanType) {
		Type[] parameters = method.getGenericParameterTypes();
		boolean valid = parameters.length == 3 && parameters[0] == EventName.class
				&& isStringMapOf(parameters[1], Number.class) && isStringMapOf(parameters[2], Object.class);
		if (!valid) {
			throw ListenerEventNames.invalid(beanName, beanType, method, "parameters",
					InvalidTelemetryDeclarationException.parameters(method), "a listener method must take " + REQUIRED,
					"Change the parameters of " + ListenerEventNames.location(beanType, method) + " to " + REQUIRED
							+ ", or put @TelemetryListener on a class that implements TelemetryHandler.");
		}
	}

	private static boolean isStringMapOf(Type type, Class<?> valueType) {
		if (type == Map.class) {
			return true;
		}
		return type instanceof ParameterizedType parameterized && parameterized.getRawType() == Map.class
				&& parameterized.getActualTypeArguments()[0] == String.class
				&& parameterized.getActualTypeArguments()[1] == valueType;
	}

}
