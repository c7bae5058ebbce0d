package dev.telemetry.listener;

import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Map;
import java.util.regex.Pattern;

import dev.telemetry.EventName;

/**
 * Checks that a {@code @TelemetryListener} method takes
 * {@code (EventName, Map<String, Number>, Map<String, Object>)}.
 *
 * @author telemetry-spring-boot
 */
final class ListenerMethodSignature {

	static final String REQUIRED = "(EventName event, Map<String, Number> measurements, Map<String, Object> metadata)";

	private static final Pattern PACKAGES = Pattern.compile("\\b(?:[a-z_][\\w]*\\.)+");

	private ListenerMethodSignature() {
	}

	static void check(Method method, String beanName, Class<?> beanType) {
		Type[] parameters = method.getGenericParameterTypes();
		boolean valid = parameters.length == 3 && parameters[0] == EventName.class
				&& isStringMapOf(parameters[1], Number.class) && isStringMapOf(parameters[2], Object.class);
		if (!valid) {
			throw new InvalidTelemetryListenerException(beanName, beanType, method, "parameters", describe(parameters),
					"a listener method must take " + REQUIRED,
					"Change the parameters of " + InvalidTelemetryListenerException.location(beanType, method)
							+ " to " + REQUIRED + ", or put @TelemetryListener on a class that implements"
							+ " TelemetryHandler.",
					null);
		}
	}

	static String describe(Type[] parameters) {
		StringBuilder described = new StringBuilder("(");
		for (int i = 0; i < parameters.length; i++) {
			described.append((i > 0) ? ", " : "").append(PACKAGES.matcher(parameters[i].getTypeName()).replaceAll(""));
		}
		return described.append(')').toString();
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
