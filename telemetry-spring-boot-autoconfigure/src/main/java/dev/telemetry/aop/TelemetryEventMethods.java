package dev.telemetry.aop;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import dev.telemetry.InvalidTelemetryDeclarationException;
import dev.telemetry.TelemetryEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.MethodClassKey;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.expression.spel.SpelCompilerMode;
import org.springframework.expression.spel.SpelParserConfiguration;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.util.ReflectionUtils;

/**
 * The {@code @TelemetryEvent} methods of the application, compiled once as each bean is created
 * (so that a bad event name or expression stops start-up) and looked up by the interceptor on each
 * call. Methods that a proxy cannot advise are logged once start-up is done.
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
public class TelemetryEventMethods implements BeanPostProcessor, SmartInitializingSingleton {

	private static final Log logger = LogFactory.getLog(TelemetryEventMethods.class);

	private final SpelExpressionParser parser = new SpelExpressionParser(
			new SpelParserConfiguration(SpelCompilerMode.MIXED, getClass().getClassLoader()));

	private final Map<MethodClassKey, TelemetryEventMethod> compiled = new ConcurrentHashMap<>();

	private final Map<MethodClassKey, Resolved> resolved = new ConcurrentHashMap<>();

	private final Map<Method, Resolved> lastResolved = new ConcurrentHashMap<>();

	private final Set<Class<?>> scanned = ConcurrentHashMap.newKeySet();

	private final List<UnadvisableMethod> unadvisable = new CopyOnWriteArrayList<>();

	private final ExpressionFailures expressionFailures = new ExpressionFailures();

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		Class<?> targetClass = AopUtils.getTargetClass(bean);
		if (!this.scanned.contains(targetClass)) {
			try {
				scan(targetClass);
			}
			catch (InvalidTelemetryDeclarationException ex) {
				throw ex.inBean(beanName);
			}
		}
		return bean;
	}

	@Override
	public void afterSingletonsInstantiated() {
		if (!this.unadvisable.isEmpty()) {
			logger.warn("These @TelemetryEvent methods will never emit events or spans, because a proxy cannot advise"
					+ " them:" + this.unadvisable.stream()
						.map((method) -> "\n  " + method.method() + " (" + method.event() + "): " + method.reason())
						.collect(Collectors.joining()));
		}
	}

	/**
	 * Compile every {@code @TelemetryEvent} method of a class, or of a JDK proxy class's
	 * interfaces, and note those that a proxy cannot advise.
	 * @param targetClass the class of a bean
	 * @throws InvalidTelemetryDeclarationException for the first method whose annotation is not valid
	 */
	public void scan(Class<?> targetClass) {
		for (Class<?> type : userTypes(targetClass)) {
			if (!AnnotationUtils.isCandidateClass(type, TelemetryEvent.class)) {
				continue;
			}
			TelemetryEvent onType = AnnotatedElementUtils.findMergedAnnotation(type, TelemetryEvent.class);
			ReflectionUtils.doWithMethods(type, (method) -> {
				TelemetryEvent onMethod = AnnotatedElementUtils.findMergedAnnotation(method, TelemetryEvent.class);
				TelemetryEvent annotation = (onMethod != null) ? onMethod
						: (onType != null && typeAnnotationApplies(method)) ? onType : null;
				String reason = unadvisableReason(method.getModifiers());
				if (annotation != null && reason != null) {
					this.unadvisable
						.add(new UnadvisableMethod(TelemetryEventMethod.describe(method), annotation.value(), reason));
				}
				else if (annotation != null) {
					this.compiled.computeIfAbsent(new MethodClassKey(method, type),
							(key) -> TelemetryEventMethod.compile(method, annotation, onMethod == null, this.parser));
				}
			});
		}
		this.scanned.add(targetClass);
	}

	// A JDK proxy class's own methods are final and annotated by none: its interfaces count instead.
	private static List<Class<?>> userTypes(Class<?> targetClass) {
		return List.of(Proxy.isProxyClass(targetClass) ? targetClass.getInterfaces() : new Class<?>[] { targetClass });
	}

	// An annotation on a type applies to its public methods, not to those of Object nor synthetic ones.
	static boolean typeAnnotationApplies(Method method) {
		return Modifier.isPublic(method.getModifiers()) && !method.isSynthetic()
				&& method.getDeclaringClass() != Object.class;
	}

	static @Nullable String unadvisableReason(int modifiers) {
		return Modifier.isPrivate(modifiers) ? "private methods cannot be proxied; make it public or package-private"
				: Modifier.isStatic(modifiers) ? "static methods cannot be proxied; make it an instance method of a bean"
						: Modifier.isFinal(modifiers) ? "final methods cannot be overridden by a proxy; remove 'final'"
								: null;
	}

	// The compiled method for a call; targetClass is a JDK proxy class when the target is one.
	@Nullable TelemetryEventMethod forInvocation(Method method, Class<?> targetClass) {
		// Nearly always one target class per method: a repeated call allocates nothing.
		Resolved last = this.lastResolved.get(method);
		if (last == null || last.targetClass() != targetClass) {
			last = this.resolved.computeIfAbsent(new MethodClassKey(method, targetClass),
					(key) -> new Resolved(targetClass, resolve(method, targetClass)));
			this.lastResolved.put(method, last);
		}
		return last.method();
	}

	private @Nullable TelemetryEventMethod resolve(Method method, Class<?> targetClass) {
		try {
			if (!this.scanned.contains(targetClass)) {
				scan(targetClass);
			}
		}
		catch (InvalidTelemetryDeclarationException ex) {
			// A bean made before the scanner, or a hand-made proxy: a bad annotation must not break the call.
			this.scanned.add(targetClass);
			logger.error(ex.getMessage() + " Until then the method runs without telemetry.");
			return null;
		}
		for (Class<?> type : userTypes(targetClass)) {
			TelemetryEventMethod found = this.compiled
				.get(new MethodClassKey(AopUtils.getMostSpecificMethod(method, type), type));
			if (found != null) {
				return found;
			}
		}
		return null;
	}

	private record Resolved(Class<?> targetClass, @Nullable TelemetryEventMethod method) {
	}

	/**
	 * Every compiled {@code @TelemetryEvent} method.
	 * @return the methods
	 */
	public List<TelemetryEventMethod> methods() {
		return List.copyOf(this.compiled.values());
	}

	/**
	 * The annotated methods that a proxy cannot advise, with why.
	 * @return the methods
	 */
	public List<UnadvisableMethod> unadvisable() {
		return List.copyOf(this.unadvisable);
	}

	/**
	 * The run-time failures of expressions.
	 * @return the failures, counted and logged at a bounded rate
	 */
	public ExpressionFailures expressionFailures() {
		return this.expressionFailures;
	}

	/**
	 * An annotated method that a proxy cannot advise.
	 *
	 * @param method the method
	 * @param event the event prefix it was annotated with
	 * @param reason why, and what to do
	 */
	public record UnadvisableMethod(String method, String event, String reason) {
	}

}
