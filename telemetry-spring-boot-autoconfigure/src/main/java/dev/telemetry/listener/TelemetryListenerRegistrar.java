package dev.telemetry.listener;

import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.telemetry.EventName;
import dev.telemetry.InvalidTelemetryDeclarationException;
import dev.telemetry.TelemetryEventBus;
import dev.telemetry.TelemetryHandler;
import dev.telemetry.TelemetryListener;
import dev.telemetry.bus.BusRecorder;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.DestructionAwareBeanPostProcessor;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Finds {@link TelemetryListener @TelemetryListener} methods and handler beans as beans are
 * created, checks their event names, signatures and ids at once (a bad one stops start-up),
 * attaches them to the bus when the context starts and detaches them when it stops or the bean is
 * destroyed.
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
public class TelemetryListenerRegistrar implements DestructionAwareBeanPostProcessor, SmartLifecycle {

	private static final String REQUIRED = "(EventName event, Map<String, Number> measurements, Map<String, Object> metadata)";

	private final ObjectProvider<TelemetryEventBus> bus;

	private final ObjectProvider<BusRecorder> recorder;

	private final Set<Class<?>> nonAnnotatedClasses = ConcurrentHashMap.newKeySet();

	/** By bean name. Its lock guards {@link #running} too, with the attach or detach it implies. */
	private final Map<String, List<Listener>> listeners = new LinkedHashMap<>();

	private volatile boolean running;

	/**
	 * Create a registrar that attaches to the bus the provider gives.
	 * @param bus the bus, looked up when the context starts
	 * @param recorder the recorder told which bean and method each handler is, if any
	 */
	public TelemetryListenerRegistrar(ObjectProvider<TelemetryEventBus> bus, ObjectProvider<BusRecorder> recorder) {
		this.bus = bus;
		this.recorder = recorder;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		Class<?> targetClass = AopUtils.getTargetClass(bean);
		if (this.nonAnnotatedClasses.contains(targetClass)) {
			return bean;
		}
		List<Listener> found = AnnotationUtils.isCandidateClass(targetClass, TelemetryListener.class)
				? findListeners(bean, beanName, targetClass) : List.of();
		if (found.isEmpty()) {
			this.nonAnnotatedClasses.add(targetClass);
			return bean;
		}
		synchronized (this.listeners) {
			checkUniqueIds(found, beanName);
			this.listeners.put(beanName, found);
			if (this.running) {
				found.forEach(this::attach);
			}
		}
		return bean;
	}

	private List<Listener> findListeners(Object bean, String beanName, Class<?> type) {
		List<Listener> found = new ArrayList<>();
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
				Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
				ReflectionUtils.makeAccessible(invocable);
				// invokeMethod rethrows what the method threw, not the reflection wrapper.
				found.add(listener(annotation, beanName, type, method, (event, measurements, metadata,
						config) -> ReflectionUtils.invokeMethod(invocable, bean, event, measurements, metadata)));
			});
		return found;
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

	private static boolean isStringMapOf(Type type, Class<?> valueType) {
		return type == Map.class || type instanceof ParameterizedType parameterized
				&& parameterized.getRawType() == Map.class && parameterized.getActualTypeArguments()[0] == String.class
				&& parameterized.getActualTypeArguments()[1] == valueType;
	}

	private static Listener listener(TelemetryListener annotation, String beanName, Class<?> type,
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
		return new Listener(id, List.copyOf(events), handler, beanName, type, method);
	}

	private void checkUniqueIds(List<Listener> found, String beanName) {
		Map<String, Listener> ids = new HashMap<>();
		this.listeners.forEach((otherBean, others) -> others.stream()
			.filter((other) -> !otherBean.equals(beanName))
			.forEach((other) -> ids.put(other.id(), other)));
		for (Listener listener : found) {
			Listener first = ids.putIfAbsent(listener.id(), listener);
			if (first != null) {
				throw invalid(beanName, listener.beanType(), listener.method(), "id", listener.id(),
						"the handler id is already used by the @TelemetryListener of " + first.source(),
						"Give each @TelemetryListener its own id: set @TelemetryListener(id = ...) on "
								+ location(listener.beanType(), listener.method())
								+ " or on the other one, or leave id empty for the default beanName#method.");
			}
		}
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

	@Override
	public boolean requiresDestruction(Object bean) {
		return !this.nonAnnotatedClasses.contains(AopUtils.getTargetClass(bean));
	}

	@Override
	public void postProcessBeforeDestruction(Object bean, String beanName) {
		synchronized (this.listeners) {
			List<Listener> removed = this.listeners.remove(beanName);
			if (removed != null) {
				removed.forEach(this::detach);
			}
		}
	}

	@Override
	public void start() {
		// Under the lock, so that a lazy bean created meanwhile is attached exactly once: here, or
		// by postProcessAfterInitialization once running is set.
		synchronized (this.listeners) {
			this.listeners.values().forEach((listeners) -> listeners.forEach(this::attach));
			this.running = true;
		}
	}

	@Override
	public void stop() {
		synchronized (this.listeners) {
			this.running = false;
			this.listeners.values().forEach((listeners) -> listeners.forEach(this::detach));
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/** Starts before the web server and stops after it, so that listeners see every request. */
	@Override
	public int getPhase() {
		return Integer.MIN_VALUE + 1000;
	}

	private void attach(Listener listener) {
		this.bus.getObject().attachMany(listener.id(), listener.events(), listener.handler(), null);
		this.recorder.ifAvailable((recorder) -> recorder.describe(listener.id(), listener.source()));
	}

	private void detach(Listener listener) {
		this.bus.getObject().detach(listener.id());
	}

	private record Listener(String id, List<EventName> events, TelemetryHandler handler, String beanName,
			Class<?> beanType, @Nullable Method method) {

		String source() {
			return "bean '" + this.beanName + "'"
					+ ((this.method != null) ? " method " + this.method.getName() + "()" : "");
		}

	}

}
