package dev.telemetry.listener;

import java.lang.reflect.Method;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.util.ClassUtils;

/**
 * Thrown at start-up when a {@code @TelemetryListener} cannot work: no event or an event name
 * that is not valid, a handler id already in use, a method with the wrong parameters, or an
 * annotated class that is not a {@code TelemetryHandler}. It says which bean, class and method,
 * what is wrong, why, and how to fix it; {@link InvalidTelemetryListenerFailureAnalyzer} prints
 * that as the start-up report.
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
public class InvalidTelemetryListenerException extends BeanInitializationException {

	private final String beanName;

	private final Class<?> beanType;

	private final @Nullable Method method;

	private final String attribute;

	private final String value;

	private final String reason;

	private final String action;

	InvalidTelemetryListenerException(String beanName, Class<?> beanType, @Nullable Method method, String attribute,
			String value, String reason, String action, @Nullable Throwable cause) {
		super("@TelemetryListener on " + location(beanType, method) + " of bean '" + beanName + "' is not valid: "
				+ attribute + " '" + value + "': " + reason + ". " + action);
		if (cause != null) {
			initCause(cause);
		}
		this.beanName = beanName;
		this.beanType = beanType;
		this.method = method;
		this.attribute = attribute;
		this.value = value;
		this.reason = reason;
		this.action = action;
	}

	static String location(Class<?> beanType, @Nullable Method method) {
		if (method != null) {
			return ClassUtils.getShortName(method.getDeclaringClass()) + "." + method.getName() + "()";
		}
		return "class " + ClassUtils.getShortName(beanType);
	}

	/**
	 * The name of the bean.
	 * @return the bean name
	 */
	public String getBeanName() {
		return this.beanName;
	}

	/**
	 * The class of the bean, without any proxy.
	 * @return the class
	 */
	public Class<?> getBeanType() {
		return this.beanType;
	}

	/**
	 * The annotated method.
	 * @return the method, or {@code null} when the annotation is on the class
	 */
	public @Nullable Method getMethod() {
		return this.method;
	}

	/**
	 * What is wrong: the attribute {@code events} or {@code id} of the annotation, or
	 * {@code parameters} of the method, or {@code type} of the annotated class.
	 * @return the attribute
	 */
	public String getAttribute() {
		return this.attribute;
	}

	/**
	 * The wrong value as written: an event name, an id, the parameters or the class.
	 * @return the value
	 */
	public String getValue() {
		return this.value;
	}

	/**
	 * Why the value is wrong.
	 * @return the reason
	 */
	public String getReason() {
		return this.reason;
	}

	/**
	 * How to fix it.
	 * @return the action
	 */
	public String getAction() {
		return this.action;
	}

}
