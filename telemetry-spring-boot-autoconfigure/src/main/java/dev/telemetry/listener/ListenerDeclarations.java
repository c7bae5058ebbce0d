package dev.telemetry.listener;

import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.telemetry.EventName;
import dev.telemetry.InvalidTelemetryDeclarationException;
import dev.telemetry.TelemetryListener;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

/**
 * Checks a {@code @TelemetryListener} declaration (its event names, a method's signature, the
 * uniqueness of its id) and says where a listener is when it cannot work.
 *
 * @author telemetry-spring-boot
 */
final class ListenerDeclarations {

	private static final String REQUIRED = "(EventName event, Map<String, Number> measurements, Map<String, Object> metadata)";

	private ListenerDeclarations() {
	}

	static List<EventName> eventNames(TelemetryListener annotation, String beanName, Class<?> beanType,
			@Nullable Method method) {
		String where = location(beanType, method);
		if (annotation.events().length == 0) {
			throw invalid(beanName, beanType, method, "events", "{}", "no event is listed",
					"Name at least one event or pattern in the events of @TelemetryListener on " + where
							+ ", like 'shop.checkout.stop' or 'shop.*.exception'.");
		}
		List<EventName> names = new ArrayList<>();
		for (String event : annotation.events()) {
			try {
				names.add(EventName.parse(event));
			}
			catch (IllegalArgumentException ex) {
				throw invalid(beanName, beanType, method, "events", event,
						(ex.getCause() != null) ? ex.getCause().getMessage() : ex.getMessage(),
						"Event names are dotted segments of letters, digits, '_' and '-', like 'shop.checkout.stop';"
								+ " a '*' segment matches any one segment and a last '**' one or more. Fix the events of"
								+ " @TelemetryListener on " + where + ".");
			}
		}
		return List.copyOf(names);
	}

	static void checkSignature(Method method, String beanName, Class<?> beanType) {
		Type[] parameters = method.getGenericParameterTypes();
		if (parameters.length != 3 || parameters[0] != EventName.class || !isStringMapOf(parameters[1], Number.class)
				|| !isStringMapOf(parameters[2], Object.class)) {
			throw invalid(beanName, beanType, method, "parameters", InvalidTelemetryDeclarationException.parameters(method),
					"a listener method must take " + REQUIRED, "Change the parameters of " + location(beanType, method)
							+ " to " + REQUIRED + ", or put @TelemetryListener on a class that implements TelemetryHandler.");
		}
	}

	private static boolean isStringMapOf(Type type, Class<?> valueType) {
		return type == Map.class || type instanceof ParameterizedType parameterized
				&& parameterized.getRawType() == Map.class && parameterized.getActualTypeArguments()[0] == String.class
				&& parameterized.getActualTypeArguments()[1] == valueType;
	}

	static InvalidTelemetryDeclarationException notAHandler(String beanName, Class<?> beanType) {
		return invalid(beanName, beanType, null, "type", beanType.getName(),
				"the class does not implement TelemetryHandler, which a class annotated with @TelemetryListener must",
				"Implement TelemetryHandler in " + beanType.getName() + ", or put @TelemetryListener on a method that"
						+ " takes " + REQUIRED + " instead.");
	}

	static InvalidTelemetryDeclarationException duplicateId(String beanName, Class<?> beanType, @Nullable Method method,
			String id, String firstSource) {
		return invalid(beanName, beanType, method, "id", id,
				"the handler id is already used by the @TelemetryListener of " + firstSource,
				"Give each @TelemetryListener its own id: set @TelemetryListener(id = ...) on "
						+ location(beanType, method) + " or on the other one, or leave id empty for the default"
						+ " beanName#method.");
	}

	private static InvalidTelemetryDeclarationException invalid(String beanName, Class<?> beanType,
			@Nullable Method method, String attribute, String value, String reason, String action) {
		return new InvalidTelemetryDeclarationException("@TelemetryListener on " + location(beanType, method),
				(method != null) ? Map.of("Method", method) : Map.of("Class", beanType), attribute, value, reason,
				action)
			.inBean(beanName);
	}

	private static String location(Class<?> beanType, @Nullable Method method) {
		return (method != null) ? ClassUtils.getShortName(method.getDeclaringClass()) + "." + method.getName() + "()"
				: "class " + ClassUtils.getShortName(beanType);
	}

}
