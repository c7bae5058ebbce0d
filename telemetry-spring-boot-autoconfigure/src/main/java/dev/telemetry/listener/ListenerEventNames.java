package dev.telemetry.listener;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import dev.telemetry.EventName;
import dev.telemetry.TelemetryListener;
import org.jspecify.annotations.Nullable;

/**
 * Reads the event names of a {@code @TelemetryListener}, refusing an empty list and names that
 * are not valid.
 *
 * @author telemetry-spring-boot
 */
final class ListenerEventNames {

	private ListenerEventNames() {
	}

	/**
	 * The event names of a listener.
	 * @throws InvalidTelemetryListenerException if there is none, or one is not valid
	 */
	static List<EventName> parse(TelemetryListener annotation, String beanName, Class<?> beanType,
			@Nullable Method method) {
		String where = InvalidTelemetryListenerException.location(beanType, method);
		if (annotation.events().length == 0) {
			throw new InvalidTelemetryListenerException(beanName, beanType, method, "events", "{}",
					"no event is listed", "Name at least one event or pattern in the events of @TelemetryListener on "
							+ where + ", like 'shop.checkout.stop' or 'shop.*.exception'.",
					null);
		}
		List<EventName> names = new ArrayList<>();
		for (String event : annotation.events()) {
			try {
				names.add(EventName.parse(event));
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidTelemetryListenerException(beanName, beanType, method, "events", event,
						(ex.getCause() != null) ? ex.getCause().getMessage() : ex.getMessage(),
						"Event names are dotted segments of letters, digits, '_' and '-', like 'shop.checkout.stop';"
								+ " a '*' segment matches any one segment and a last '**' one or more. Fix the events of"
								+ " @TelemetryListener on " + where + ".",
						ex);
			}
		}
		return Collections.unmodifiableList(names);
	}

}
