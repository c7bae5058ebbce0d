package dev.telemetry.listener;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.telemetry.EventName;
import dev.telemetry.InvalidTelemetryDeclarationException;
import dev.telemetry.TelemetryHandler;
import dev.telemetry.TelemetryListener;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;
import org.springframework.util.ReflectionUtils.MethodFilter;

/**
 * One handler that a {@link TelemetryListener @TelemetryListener} declares, on a handler class or
 * a method, with its id and checked event names; a bad declaration fails with where, what, why and
 * the fix.
 *
 * @author telemetry-spring-boot
 */
record ListenerDeclaration(String id, List<EventName> events, TelemetryHandler handler, String beanName,
		Class<?> beanType, @Nullable Method method) {

	private static final String REQUIRED = "(EventName event, Map<String, Number> measurements, Map<String, Object> metadata)";

	/** Which bean and method the handler is, for the endpoint and for error messages. */
	String source() {
		return "bean '" + this.beanName + "'"
				+ ((this.method != null) ? " method " + this.method.getName() + "()" : "");
	}

	/** Whether {@code type} or one of its methods is annotated with {@code @TelemetryListener}. */
	static boolean isDeclaredOn(Class<?> type) {
		MethodFilter annotated = (method) -> AnnotatedElementUtils.hasAnnotation(method, TelemetryListener.class);
		return AnnotationUtils.isCandidateClass(type, TelemetryListener.class)
				&& (AnnotatedElementUtils.hasAnnotation(type, TelemetryListener.class)
						|| !MethodIntrospector.selectMethods(type, annotated).isEmpty());
	}

	/** The handlers that {@code bean} declares, checked: a bad declaration throws. */
	static List<ListenerDeclaration> findAll(Object bean, String beanName, Class<?> type) {
		List<ListenerDeclaration> found = new ArrayList<>();
		TelemetryListener onType = AnnotatedElementUtils.findMergedAnnotation(type, TelemetryListener.class);
		if (onType != null) {
			if (!(bean instanceof TelemetryHandler handler)) {
				throw invalid(beanName, type, null, "type", type.getName(), "the class does not implement"
						+ " TelemetryHandler, which a class annotated with @TelemetryListener must", "Implement"
								+ " TelemetryHandler in " + type.getName() + ", or put @TelemetryListener on a"
								+ " method that takes " + REQUIRED + " instead.");
			}
			found.add(listener(onType, beanName, type, null, handler));
		}
		MethodIntrospector.selectMethods(type, (MethodIntrospector.MetadataLookup<TelemetryListener>) (
				method) -> AnnotatedElementUtils.findMergedAnnotation(method, TelemetryListener.class))
			.forEach((method, annotation) -> {
				checkSignature(beanName, type, method);
				Method invocable = invocable(bean, beanName, type, method);
				ReflectionUtils.makeAccessible(invocable);
				found.add(listener(annotation, beanName, type, method, (event, measurements, metadata, config) -> {
					try {
						invocable.invoke(bean, event, measurements, metadata);
					}
					catch (InvocationTargetException ex) {
						// What the method threw, a checked exception too, so that its failure names it.
						throw ListenerDeclaration.<RuntimeException>rethrow(ex.getTargetException());
					}
					catch (IllegalAccessException ex) {
						throw new IllegalStateException(ex);
					}
				}));
			});
		return found;
	}

	// The method as the bean (a proxy maybe) can be called: not a private one of a proxied class, nor one that a
	// JDK proxy's interfaces do not declare.
	private static Method invocable(Object bean, String beanName, Class<?> type, Method method) {
		try {
			return AopUtils.selectInvocableMethod(method, bean.getClass());
		}
		catch (IllegalStateException ex) {
			throw invalid(beanName, type, method, "method", method.getName() + "()",
					"the bean is a proxy that cannot call it: " + ex.getMessage(),
					"Make " + location(type, method) + " not private, and declare it on an interface of the bean if"
							+ " the bean is a JDK proxy (or proxy its class: spring.aop.proxy-target-class=true).");
		}
	}

	@SuppressWarnings("unchecked")
	private static <E extends Throwable> E rethrow(Throwable failure) throws E {
		throw (E) failure;
	}

	private static void checkSignature(String beanName, Class<?> type, Method method) {
		Type[] parameters = method.getGenericParameterTypes();
		if (parameters.length != 3 || parameters[0] != EventName.class || !isStringMapOf(parameters[1], Number.class)
				|| !isStringMapOf(parameters[2], Object.class)) {
			throw invalid(beanName, type, method, "parameters", InvalidTelemetryDeclarationException.parameters(method),
					"a listener method must take " + REQUIRED, "Change the parameters of " + location(type, method)
							+ " to " + REQUIRED + ", or put @TelemetryListener on a class that implements TelemetryHandler.");
		}
	}

	// Map<String, Number> or Map<String, ? extends Number>, as Kotlin compiles Map<String, Number>.
	private static boolean isStringMapOf(Type type, Class<?> valueType) {
		if (type == Map.class) {
			return true;
		}
		Type[] arguments = (type instanceof ParameterizedType parameterized && parameterized.getRawType() == Map.class)
				? parameterized.getActualTypeArguments() : new Type[] { null, null };
		Type value = (arguments[1] instanceof WildcardType wildcard && wildcard.getLowerBounds().length == 0)
				? wildcard.getUpperBounds()[0] : arguments[1];
		return arguments[0] == String.class && value == valueType;
	}

	private static ListenerDeclaration listener(TelemetryListener annotation, String beanName, Class<?> type,
			@Nullable Method method, TelemetryHandler handler) {
		if (annotation.events().length == 0) {
			throw invalid(beanName, type, method, "events", "{}", "no event is listed",
					"Name at least one event or pattern in the events of @TelemetryListener on " + location(type, method)
							+ ", like 'shop.checkout.stop' or 'shop.*.exception'.");
		}
		List<EventName> events = new ArrayList<>();
		for (String event : annotation.events()) {
			try {
				events.add(EventName.parse(event));
			}
			catch (IllegalArgumentException ex) {
				throw invalid(beanName, type, method, "events", event,
						(ex.getCause() != null) ? ex.getCause().getMessage() : ex.getMessage(),
						"Event names are dotted segments of letters, digits, '_' and '-', like 'shop.checkout.stop';"
								+ " a '*' segment matches any one segment and a last '**' one or more. Fix the events of"
								+ " @TelemetryListener on " + location(type, method) + ".");
			}
		}
		String id = !annotation.id().isEmpty() ? annotation.id()
				: (method != null) ? beanName + "#" + method.getName() : beanName;
		return new ListenerDeclaration(id, List.copyOf(events), handler, beanName, type, method);
	}

	static InvalidTelemetryDeclarationException invalid(String beanName, Class<?> beanType,
			@Nullable Method method, String attribute, String value, String reason, String action) {
		return new InvalidTelemetryDeclarationException("@TelemetryListener on " + location(beanType, method),
				(method != null) ? Map.of("Method", method) : Map.of("Class", beanType), attribute, value, reason,
				action)
			.inBean(beanName);
	}

	static String location(Class<?> beanType, @Nullable Method method) {
		return (method != null) ? ClassUtils.getShortName(method.getDeclaringClass()) + "." + method.getName() + "()"
				: "class " + ClassUtils.getShortName(beanType);
	}

}
