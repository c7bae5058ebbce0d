package dev.telemetry.listener;

import java.lang.reflect.Method;
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
 * Reads the event names of a {@code @TelemetryListener}, refusing an empty list and names that
 * are not valid; and says where a listener is when it cannot work.
 *
 * @author telemetry-spring-boot
 */
final class ListenerEventNames {

	private ListenerEventNames() {
	}

	/**
	 * The event names of a listener.
	 * @throws InvalidTelemetryDeclarationException if there is none, or one is not valid
	 */
	static List<EventName> parse(TelemetryListener annotation, String beanName, Class<?> beanType,
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
