package dev.telemetry.tracing;

import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;

import io.micrometer.context.ContextExecutorService;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.SpringProxy;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.scope.ScopedObject;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.config.SmartInstantiationAwareBeanPostProcessor;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

/**
 * Makes {@link Executor} beans carry the context of the code that submits a task into the task:
 * each is proxied ({@code ExecutorService} beans and Spring's task executors and schedulers among
 * them), and a task given to it runs in the context captured when it was given, inside the
 * executor's own task decorator, if any. A {@code SimpleAsyncTaskExecutor} is not proxied: it gets
 * the context from the {@code ContextPropagatingTaskDecorator} bean that Spring Boot's builders
 * apply. A {@code ThreadPoolTaskExecutor} made by those builders gets both, and restores the
 * context twice.
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
public final class ContextPropagatingExecutorPostProcessor implements SmartInstantiationAwareBeanPostProcessor {

	private static final Log logger = LogFactory.getLog(ContextPropagatingExecutorPostProcessor.class);

	/**
	 * Snapshots of the trace context only: the current Observation and span, and the baggage when its
	 * accessor is registered (the keys of Micrometer's accessors, constants here, so that Micrometer
	 * Tracing need not be there). Not every thread local a library registers, so that a task does not
	 * run as the user who submitted it (Spring Security registers its context).
	 */
	public static final ContextSnapshotFactory TRACE_CONTEXT = ContextSnapshotFactory.builder()
		.captureKeyPredicate(Set.of("micrometer.observation", "micrometer.tracing", "micrometer.tracing.baggage")::contains)
		.build();

	// One for every context, so that an executor of a parent context exposed again in a child is advised once.
	private static final MethodInterceptor ADVICE = ContextPropagatingExecutorPostProcessor::propagate;

	private final ConfigurableListableBeanFactory beanFactory;

	/** Create a post-processor for the executor beans of {@code beanFactory}. */
	public ContextPropagatingExecutorPostProcessor(ConfigurableListableBeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	// Asked by Spring AOT only, before any bean exists: the proxy's class, which AOT then generates at build
	// time (or registers as a JDK proxy), as a native image cannot make it at run time.
	@Override
	public Class<?> determineBeanType(Class<?> beanClass, String beanName) {
		ProxyFactory proxy = proxyFactory(beanClass, beanName, false);
		return (proxy != null) ? proxy.getProxyClass(getClass().getClassLoader()) : beanClass;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		// Proxied already (an aspect matched it): the advice joins its chain, as Spring's advising post-processors do.
		// Not a scoped proxy's: the bean behind it is proxied on its own. Not twice: an alias bean of an executor.
		if (bean instanceof Executor && bean instanceof Advised advised && !advised.isFrozen()
				&& !(bean instanceof ScopedObject)) {
			if (advised.indexOf(ADVICE) < 0) {
				advised.addAdvice(0, ADVICE);
			}
			return bean;
		}
		ProxyFactory proxy = proxyFactory(bean.getClass(), beanName, true);
		if (proxy == null) {
			return bean;
		}
		proxy.setTarget(bean);
		logger.debug("Propagating context into tasks of executor bean '" + beanName + "'");
		return proxy.getProxy(getClass().getClassLoader());
	}

	// The same proxy for the bean's class as for the bean, so that the class generated at build time is the one used.
	private @Nullable ProxyFactory proxyFactory(Class<?> type, String beanName, boolean explain) {
		// A SimpleAsyncTaskExecutor's public final getters would read a subclass proxy's empty fields.
		if (!Executor.class.isAssignableFrom(type) || SimpleAsyncTaskExecutor.class.isAssignableFrom(type)
				|| ContextExecutorService.class.isAssignableFrom(type) || SpringProxy.class.isAssignableFrom(type)) {
			return null;
		}
		// A subclass proxy keeps the bean's class for injection points that ask for it. JDK classes
		// cannot be subclassed without --add-opens, and an interface proxy would break injection
		// points typed with the class, so those are wrapped only when declared as an interface.
		boolean subclass = !type.isInterface() && Modifier.isPublic(type.getModifiers())
				&& !Modifier.isFinal(type.getModifiers()) && !type.getName().matches("^(java|javax|jdk|sun)\\..*");
		Class<?> declared = this.beanFactory.containsBeanDefinition(beanName)
				? this.beanFactory.getMergedBeanDefinition(beanName).getResolvableType().resolve() : null;
		if (!subclass && (declared == null || !declared.isInterface())) {
			if (explain) {
				logger.info("Executor bean '" + beanName + "' (" + type.getName() + ") does not carry the trace "
						+ "context into its tasks: declare it as an interface (ExecutorService), or wrap it with "
						+ "TraceContextCarrier");
			}
			return null;
		}
		ProxyFactory proxy = new ProxyFactory();
		if (subclass) {
			proxy.setTargetClass(type);
			proxy.setProxyTargetClass(true);
		}
		else {
			proxy.addInterface(declared);
		}
		proxy.addAdvice(ADVICE);
		return proxy;
	}

	// Tasks given to an executor's method run in the context current when they were submitted.
	private static @Nullable Object propagate(MethodInvocation invocation) throws Throwable {
		Object[] arguments = invocation.getArguments();
		ContextSnapshot snapshot = null;
		for (int i = 0; i < arguments.length; i++) {
			Object argument = arguments[i];
			if (argument instanceof Runnable || argument instanceof Callable || argument instanceof Collection) {
				snapshot = (snapshot != null) ? snapshot : TRACE_CONTEXT.captureAll();
				arguments[i] = wrap(snapshot, argument);
			}
		}
		return invocation.proceed();
	}

	private static Object wrap(ContextSnapshot snapshot, Object task) {
		if (task instanceof Runnable runnable) {
			return snapshot.wrap(runnable);
		}
		if (task instanceof Callable<?> callable) {
			return snapshot.wrap(callable);
		}
		return ((Collection<?>) task).stream()
			.map((element) -> (element instanceof Callable<?> callable) ? snapshot.wrap(callable) : element)
			.toList();
	}

}
