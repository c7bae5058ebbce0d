package dev.telemetry.listener;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.telemetry.EventName;
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
import org.springframework.util.ReflectionUtils;

/**
 * Finds {@link TelemetryListener @TelemetryListener} methods and handler beans as beans are
 * created, checks their event names and signatures at once, attaches them to the bus when the
 * context starts and detaches them when it stops or the bean is destroyed.
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
public class TelemetryListenerRegistrar implements DestructionAwareBeanPostProcessor, SmartLifecycle {

	private final ObjectProvider<TelemetryEventBus> bus;

	private final ObjectProvider<BusRecorder> recorder;

	private final Set<Class<?>> nonAnnotatedClasses = ConcurrentHashMap.newKeySet();

	private final Map<String, List<Listener>> listeners = new ConcurrentHashMap<>();

	/** Guards {@link #running} with the attach or detach it implies, against lazy beans. */
	private final Object lifecycle = new Object();

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
		checkUniqueIds(found, beanName, targetClass);
		synchronized (this.lifecycle) {
			this.listeners.put(beanName, found);
			if (this.running) {
				found.forEach(this::attach);
			}
		}
		return bean;
	}

	private List<Listener> findListeners(Object bean, String beanName, Class<?> targetClass) {
		List<Listener> found = new ArrayList<>();
		TelemetryListener onType = AnnotatedElementUtils.findMergedAnnotation(targetClass, TelemetryListener.class);
		if (onType != null) {
			if (!(bean instanceof TelemetryHandler handler)) {
				throw ListenerDeclarations.notAHandler(beanName, targetClass);
			}
			found.add(new Listener(onType.id().isEmpty() ? beanName : onType.id(),
					ListenerDeclarations.eventNames(onType, beanName, targetClass, null), handler, null,
					"bean '" + beanName + "'"));
		}
		MethodIntrospector.selectMethods(targetClass, (MethodIntrospector.MetadataLookup<TelemetryListener>) (
				method) -> AnnotatedElementUtils.findMergedAnnotation(method, TelemetryListener.class))
			.forEach((method, annotation) -> {
				ListenerDeclarations.checkSignature(method, beanName, targetClass);
				Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
				ReflectionUtils.makeAccessible(invocable);
				// invokeMethod rethrows what the method threw, not the reflection wrapper.
				TelemetryHandler handler = (event, measurements, metadata, config) -> ReflectionUtils
					.invokeMethod(invocable, bean, event, measurements, metadata);
				found.add(new Listener(annotation.id().isEmpty() ? beanName + "#" + method.getName() : annotation.id(),
						ListenerDeclarations.eventNames(annotation, beanName, targetClass, method), handler, method,
						"bean '" + beanName + "' method " + method.getName() + "()"));
			});
		return found;
	}

	private void checkUniqueIds(List<Listener> found, String beanName, Class<?> beanType) {
		Map<String, String> sources = new HashMap<>();
		this.listeners.forEach((otherBean, others) -> others.stream()
			.filter((other) -> !otherBean.equals(beanName))
			.forEach((other) -> sources.put(other.id(), other.source())));
		for (Listener listener : found) {
			String first = sources.putIfAbsent(listener.id(), listener.source());
			if (first != null) {
				throw ListenerDeclarations.duplicateId(beanName, beanType, listener.method(), listener.id(), first);
			}
		}
	}

	@Override
	public boolean requiresDestruction(Object bean) {
		return !this.nonAnnotatedClasses.contains(AopUtils.getTargetClass(bean));
	}

	@Override
	public void postProcessBeforeDestruction(Object bean, String beanName) {
		synchronized (this.lifecycle) {
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
		synchronized (this.lifecycle) {
			this.listeners.values().forEach((listeners) -> listeners.forEach(this::attach));
			this.running = true;
		}
	}

	@Override
	public void stop() {
		synchronized (this.lifecycle) {
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

	private record Listener(String id, List<EventName> events, TelemetryHandler handler, @Nullable Method method,
			String source) {
	}

}
