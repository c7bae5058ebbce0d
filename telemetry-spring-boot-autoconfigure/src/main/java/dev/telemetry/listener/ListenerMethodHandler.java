package dev.telemetry.listener;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;

import dev.telemetry.EventName;
import dev.telemetry.TelemetryHandler;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ReflectionUtils;

/**
 * A {@link TelemetryHandler} that calls a {@code @TelemetryListener} method of a bean.
 *
 * @author telemetry-spring-boot
 */
final class ListenerMethodHandler implements TelemetryHandler {

	private final Object bean;

	private final Method method;

	ListenerMethodHandler(Object bean, Method method) {
		this.bean = bean;
		this.method = method;
		ReflectionUtils.makeAccessible(method);
	}

	@Override
	public void handleEvent(EventName event, Map<String, Number> measurements, Map<String, Object> metadata,
			@Nullable Object config) {
		try {
			this.method.invoke(this.bean, event, measurements, metadata);
		}
		catch (InvocationTargetException ex) {
			// Report what the method threw, not the reflection wrapper, to the failure policy.
			ReflectionUtils.rethrowRuntimeException(ex.getTargetException());
		}
		catch (IllegalAccessException ex) {
			throw new IllegalStateException("Cannot call telemetry listener " + this.method, ex);
		}
	}

	@Override
	public String toString() {
		return this.method.getDeclaringClass().getName() + "#" + this.method.getName();
	}

}
