package dev.telemetry.listener;

import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Map;

import dev.telemetry.EventName;

import org.springframework.beans.factory.BeanInitializationException;

/**
 * Checks that a {@code @TelemetryListener} method takes
 * {@code (EventName, Map<String, Number>, Map<String, Object>)}.
 *
 * @author telemetry-spring-boot
 */
final class ListenerMethodSignature {

	private ListenerMethodSignature() {
	}

	static void check(Method method, String beanName) {
		Type[] parameters = method.getGenericParameterTypes();
		boolean valid = parameters.length == 3 && parameters[0] == EventName.class
				&& isStringMapOf(parameters[1], Number.class) && isStringMapOf(parameters[2], Object.class);
		if (!valid) {
			throw new BeanInitializationException("@TelemetryListener method " + method.getName() + "() of bean '"
					+ beanName + "' must take (EventName event, Map<String, Number> measurements,"
					+ " Map<String, Object> metadata); it takes " + method.toGenericString());
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
