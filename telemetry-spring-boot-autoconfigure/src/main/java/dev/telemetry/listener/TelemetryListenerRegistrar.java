package dev.telemetry.listener;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.telemetry.TelemetryEventBus;
import dev.telemetry.TelemetryListener;
import dev.telemetry.bus.BusRecorder;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.scope.ScopedObject;
import org.springframework.aop.scope.ScopedProxyUtils;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.BeanFactoryUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.config.DestructionAwareBeanPostProcessor;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.annotation.AnnotationUtils;

/**
 * Finds {@link TelemetryListener @TelemetryListener} methods and handler beans as beans are
 * created, checks their event names, signatures and ids at once (a bad one stops start-up),
 * attaches them to the bus when the context starts and detaches them when it stops or the bean is
 * destroyed.
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
public class TelemetryListenerRegistrar implements DestructionAwareBeanPostProcessor, SmartLifecycle, BeanFactoryAware {

	private static final Log logger = LogFactory.getLog(TelemetryListenerRegistrar.class);

	private final ObjectProvider<TelemetryEventBus> bus;

	private final ObjectProvider<BusRecorder> recorder;

	private final Set<Class<?>> nonAnnotatedClasses = ConcurrentHashMap.newKeySet();

	/** By bean name. Its lock guards {@link #running} too, with the attach or detach it implies. */
	private final Map<String, List<ListenerDeclaration>> listeners = new LinkedHashMap<>();

	private final Set<String> refused = ConcurrentHashMap.newKeySet();

	/** The ids this registrar attached, guarded by the lock of {@link #listeners}: it detaches no other. */
	private final Set<String> attachedIds = new HashSet<>();

	private volatile boolean running;

	private @Nullable ConfigurableListableBeanFactory beanFactory;

	/**
	 * Create a registrar that attaches to the bus the provider gives.
	 * @param bus the bus, looked up when the context starts
	 * @param recorder the recorder told which bean and method each handler is, if any
	 */
	public TelemetryListenerRegistrar(ObjectProvider<TelemetryEventBus> bus, ObjectProvider<BusRecorder> recorder) {
		this.bus = bus;
		this.recorder = recorder;
	}

	/**
	 * Whether a bean of {@code type} declares {@code @TelemetryListener} handlers.
	 * @param type the bean's type
	 * @return whether it or one of its methods is annotated
	 */
	public static boolean declaresListeners(Class<?> type) {
		return ListenerDeclaration.isDeclaredOn(type);
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = (beanFactory instanceof ConfigurableListableBeanFactory listable) ? listable : null;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		Class<?> targetClass = AopUtils.getTargetClass(bean);
		if (this.nonAnnotatedClasses.contains(targetClass)) {
			return bean;
		}
		List<ListenerDeclaration> found = AnnotationUtils.isCandidateClass(targetClass, TelemetryListener.class)
				? ListenerDeclaration.findAll(bean, beanName, targetClass) : List.of();
		if (found.isEmpty()) {
			this.nonAnnotatedClasses.add(targetClass);
			return bean;
		}
		// Singletons only: a prototype is never destroyed to detach its handlers, and two live instances of a
		// scoped bean (or the proxy that reaches either) would attach the same ids.
		if (!isSingleton(bean, beanName)) {
			refuse(beanName);
			return bean;
		}
		synchronized (this.listeners) {
			checkUniqueIds(found);
			this.listeners.put(beanName, found);
			if (this.running) {
				found.forEach(this::attach);
			}
		}
		return bean;
	}

	// Not one either: an object made without a singleton definition of its name (createBean, initializeBean, an
	// inner bean) or by a FactoryBean that makes a new one each time. A singleton is in creation while processed.
	private boolean isSingleton(Object bean, String beanName) {
		ConfigurableListableBeanFactory beans = this.beanFactory;
		return beans == null || !(bean instanceof ScopedObject) && beans.containsBeanDefinition(beanName)
				&& beans.getMergedBeanDefinition(beanName).isSingleton() && beans.isSingleton(beanName)
				&& beans.isCurrentlyInCreation(beanName);
	}

	private void refuse(String beanName) {
		// One WARN per bean, not per instance: a scoped target under its bean's name, an inner bean without the
		// '#...' that Spring adds to make each instance's name unique.
		String name = BeanFactoryUtils.originalBeanName(
				ScopedProxyUtils.isScopedTarget(beanName) ? ScopedProxyUtils.getOriginalBeanName(beanName) : beanName);
		if (this.refused.add(name)) {
			logger.warn("The @TelemetryListener handlers of bean '" + name + "' are not attached: a listener is "
					+ "attached once, under one id, for the life of a singleton bean, and this one is of another "
					+ "scope (or made without a singleton bean definition of its own). Make it a singleton, or "
					+ "attach its handler to the TelemetryEventBus yourself");
		}
	}

	private void checkUniqueIds(List<ListenerDeclaration> found) {
		Map<String, ListenerDeclaration> ids = new HashMap<>();
		this.listeners.values().forEach((others) -> others.forEach((other) -> ids.put(other.id(), other)));
		for (ListenerDeclaration listener : found) {
			ListenerDeclaration first = ids.putIfAbsent(listener.id(), listener);
			if (first != null) {
				throw ListenerDeclaration.invalid(listener.beanName(), listener.beanType(), listener.method(), "id",
						listener.id(), "the handler id is already used by the @TelemetryListener of " + first.source(),
						"Give each @TelemetryListener its own id: set @TelemetryListener(id = ...) on "
								+ ListenerDeclaration.location(listener.beanType(), listener.method())
								+ " or on the other one, or leave id empty for the default beanName#method.");
			}
		}
	}

	@Override
	public boolean requiresDestruction(Object bean) {
		return !this.nonAnnotatedClasses.contains(AopUtils.getTargetClass(bean));
	}

	@Override
	public void postProcessBeforeDestruction(Object bean, String beanName) {
		synchronized (this.listeners) {
			List<ListenerDeclaration> removed = this.listeners.remove(beanName);
			if (removed != null) {
				removed.forEach(this::detach);
			}
		}
	}

	@Override
	public void start() {
		// A listener bean of another scope is made only when something asks for it, if ever: say so now.
		ConfigurableListableBeanFactory beans = this.beanFactory;
		if (beans != null) {
			for (String name : beans.getBeanDefinitionNames()) {
				BeanDefinition definition = beans.getMergedBeanDefinition(name);
				Class<?> type = (definition.isSingleton() || definition.isAbstract()) ? null
						: beans.getType(name, false);
				if (type != null && declaresListeners(type)) {
					refuse(name);
				}
			}
		}
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

	private void attach(ListenerDeclaration listener) {
		if (!this.attachedIds.contains(listener.id())) {
			this.bus.getObject().attachMany(listener.id(), listener.events(), listener.handler(), null);
			this.attachedIds.add(listener.id());
			this.recorder.ifAvailable((recorder) -> recorder.describe(listener.id(), listener.source()));
		}
	}

	// Not a handler someone else attached under the id, and no bus looked up (made, even) when nothing was attached.
	private void detach(ListenerDeclaration listener) {
		if (this.attachedIds.remove(listener.id())) {
			this.bus.getObject().detach(listener.id());
		}
	}

}
