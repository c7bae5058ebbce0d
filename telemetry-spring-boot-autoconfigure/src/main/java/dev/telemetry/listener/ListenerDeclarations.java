package dev.telemetry.listener;

import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import dev.telemetry.EventName;
import dev.telemetry.InvalidTelemetryDeclarationException;
import dev.telemetry.TelemetryListener;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

/**
 * Checks a {@code @TelemetryListener} declaration: its event names (not empty, each valid) and
 * the signature of a listener method; and says where a listener is when it cannot work.
 *
 * @author telemetry-spring-boot
 */
final class ListenerDeclarations {

	static final String REQUIRED = "(EventName event, Map<String, Number> measurements, Map<String, Object> metadata)";

	private ListenerDeclarations() {
	}

	/**
	 * The event names of a listener.
	 * @throws InvalidTelemetryDeclarationException if there is none, or one is not valid
	 */
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
		return Collections.unmodifiableList(names);
	}

	static void checkSignature(Method method, String beanName, Class<?> beanType) {
		Type[] parameters = method.getGenericParameterTypes();
		boolean valid = parameters.length == 3 && parameters[0] == EventName.class
				&& isStringMapOf(parameters[1], Number.class) && isStringMapOf(parameters[2], Object.class);
		if (!valid) {
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

	/**
	 * A listener that cannot work, in the bean that declares it.
	 */
	static InvalidTelemetryDeclarationException invalid(String beanName, Class<?> beanType, @Nullable Method method,
			String attribute, String value, String reason, String action) {
		return new InvalidTelemetryDeclarationException("@TelemetryListener on " + location(beanType, method),
				(method != null) ? Map.of("Method", method) : Map.of("Class", beanType), attribute, value, reason,
				action)
			.inBean(beanName);
	}

	static String location(Class<?> beanType, @Nullable Method method) {
		if (method != null) {
			return ClassUtils.getShortName(method.getDeclaringClass()) + "." + method.getName() + "()";
		}
		return "class " + ClassUtils.getShortName(beanType);
	}

}
