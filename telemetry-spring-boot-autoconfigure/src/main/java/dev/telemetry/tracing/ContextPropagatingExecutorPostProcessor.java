package dev.telemetry.tracing;

import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;

import io.micrometer.context.ContextExecutorService;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.DirectFieldAccessor;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.core.task.TaskDecorator;
import org.springframework.core.task.support.CompositeTaskDecorator;
import org.springframework.core.task.support.ContextPropagatingTaskDecorator;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * Makes every executor bean carry the context of the code that submits a task into the task:
 * {@code ThreadPoolTaskExecutor}, {@code ThreadPoolTaskScheduler} and
 * {@code SimpleAsyncTaskExecutor} beans (Boot's {@code applicationTaskExecutor} behind
 * {@code @Async} among them) get a {@link ContextPropagatingTaskDecorator}, composed with the
 * decorator they already have; {@code ExecutorService} beans are wrapped.
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
public final class ContextPropagatingExecutorPostProcessor implements BeanPostProcessor {

	private static final Log logger = LogFactory.getLog(ContextPropagatingExecutorPostProcessor.class);

	private final ContextSnapshotFactory snapshots = ContextSnapshotFactory.builder().build();

	private final ConfigurableListableBeanFactory beanFactory;

	/** Create a post-processor for the executor beans of {@code beanFactory}. */
	public ContextPropagatingExecutorPostProcessor(ConfigurableListableBeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public Object postProcessBeforeInitialization(Object bean, String beanName) {
		// Before initialisation: ThreadPoolTaskExecutor reads its decorator when it creates its pool.
		if (bean instanceof ThreadPoolTaskExecutor || bean instanceof ThreadPoolTaskScheduler
				|| bean instanceof SimpleAsyncTaskExecutor) {
			DirectFieldAccessor fields = new DirectFieldAccessor(bean);
			TaskDecorator existing = (TaskDecorator) fields.getPropertyValue("taskDecorator");
			if (!(existing instanceof ContextPropagatingTaskDecorator)) {
				TaskDecorator propagating = new ContextPropagatingTaskDecorator(this.snapshots);
				// The user's decorator runs inside the restored context.
				fields.setPropertyValue("taskDecorator", (existing != null)
						? new CompositeTaskDecorator(List.of(existing, propagating)) : propagating);
				logger.debug("Propagating context into tasks of executor bean '" + beanName + "'");
			}
		}
		return bean;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (!(bean instanceof ExecutorService) || bean instanceof ContextExecutorService
				|| AopUtils.isAopProxy(bean)) {
			return bean;
		}
		Class<?> type = bean.getClass();
		// A subclass proxy keeps the bean's class for injection points that ask for it. JDK classes
		// cannot be subclassed without --add-opens, and an interface proxy would break injection
		// points typed with the class, so those are wrapped only when declared as an interface.
		boolean subclass = Modifier.isPublic(type.getModifiers()) && !Modifier.isFinal(type.getModifiers())
				&& !type.getName().matches("^(java|javax|jdk|sun)\\..*");
		Class<?> declared = this.beanFactory.containsBeanDefinition(beanName)
				? this.beanFactory.getMergedBeanDefinition(beanName).getResolvableType().resolve() : null;
		if (!subclass && (declared == null || !declared.isInterface())) {
			logger.info("ExecutorService bean '" + beanName + "' (" + type.getName() + ") does not carry the trace "
					+ "context into its tasks: declare it as ExecutorService, or wrap it with TraceContextCarrier");
			return bean;
		}
		ProxyFactory proxy = new ProxyFactory(bean);
		proxy.setProxyTargetClass(subclass);
		proxy.addAdvice((MethodInterceptor) this::propagate);
		logger.debug("Propagating context into tasks of ExecutorService bean '" + beanName + "'");
		return proxy.getProxy(getClass().getClassLoader());
	}

	// Tasks given to an ExecutorService method run in the context current when they were submitted.
	private @Nullable Object propagate(MethodInvocation invocation) throws Throwable {
		Object[] arguments = invocation.getArguments();
		ContextSnapshot snapshot = null;
		for (int i = 0; i < arguments.length; i++) {
			Object argument = arguments[i];
			if (argument instanceof Runnable || argument instanceof Callable || argument instanceof Collection) {
				snapshot = (snapshot != null) ? snapshot : this.snapshots.captureAll();
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
