package dev.telemetry.aop;

import java.lang.reflect.Method;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.util.ClassUtils;

/**
 * Thrown at start-up when a {@code @TelemetryEvent} annotation cannot work: an event prefix that
 * is not a valid name or is a pattern, or an expression that is not {@code key=SpEL} or does not
 * parse. It says where the annotation is, which attribute and value are wrong, why, and how to
 * fix it; {@link InvalidTelemetryEventFailureAnalyzer} prints that as the start-up report.
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
public class InvalidTelemetryEventException extends BeanInitializationException {

	private final @Nullable String beanName;

	private final Method method;

	private final boolean declaredOnType;

	private final String attribute;

	private final String value;

	private final String reason;

	private final String action;

	InvalidTelemetryEventException(Method method, boolean declaredOnType, String attribute, String value,
			String reason, String action, @Nullable Throwable cause) {
		this(null, method, declaredOnType, attribute, value, reason, action, cause);
	}

	private InvalidTelemetryEventException(@Nullable String beanName, Method method, boolean declaredOnType,
			String attribute, String value, String reason, String action, @Nullable Throwable cause) {
		super(message(beanName, method, declaredOnType, attribute, value, reason, action));
		if (cause != null) {
			initCause(cause);
		}
		this.beanName = beanName;
		this.method = method;
		this.declaredOnType = declaredOnType;
		this.attribute = attribute;
		this.value = value;
		this.reason = reason;
		this.action = action;
	}

	private static String message(@Nullable String beanName, Method method, boolean declaredOnType, String attribute,
			String value, String reason, String action) {
		return "@TelemetryEvent on " + location(method, declaredOnType)
				+ ((beanName != null) ? " of bean '" + beanName + "'" : "") + " is not valid: " + attribute + " '"
				+ value + "': " + reason + ". " + action;
	}

	static String location(Method method, boolean declaredOnType) {
		String described = TelemetryEventMethod.describe(method);
		if (declaredOnType) {
			return "class " + ClassUtils.getShortName(method.getDeclaringClass()) + " (applied to " + described + ")";
		}
		return described;
	}

	/**
	 * The same problem, naming the bean whose class declares the method.
	 * @param beanName the name of the bean
	 * @return a new exception
	 */
	InvalidTelemetryEventException forBean(String beanName) {
		return new InvalidTelemetryEventException(beanName, this.method, this.declaredOnType, this.attribute,
				this.value, this.reason, this.action, getCause());
	}

	/**
	 * The name of the bean whose class declares the method, when it is known.
	 * @return the bean name, or {@code null}
	 */
	public @Nullable String getBeanName() {
		return this.beanName;
	}

	/**
	 * The annotated method, or a public method of an annotated class.
	 * @return the method
	 */
	public Method getMethod() {
		return this.method;
	}

	/**
	 * Whether the annotation is on the class rather than on the method.
	 * @return whether it is declared on the type
	 */
	public boolean isDeclaredOnType() {
		return this.declaredOnType;
	}

	/**
	 * The attribute of the annotation that is wrong: {@code value}, {@code metadata},
	 * {@code stopMetadata} or {@code measurements}.
	 * @return the attribute
	 */
	public String getAttribute() {
		return this.attribute;
	}

	/**
	 * The wrong value as written: the prefix, or one {@code key=SpEL} entry.
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
