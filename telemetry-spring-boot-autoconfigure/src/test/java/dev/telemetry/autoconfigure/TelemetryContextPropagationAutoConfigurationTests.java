package dev.telemetry.autoconfigure;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import dev.telemetry.EventName;
import dev.telemetry.TelemetryEventBus;
import dev.telemetry.TraceContextCarrier;
import dev.telemetry.tracing.BaggageTagSpanProcessor;
import dev.telemetry.tracing.ContextPropagatingExecutorPostProcessor;
import io.micrometer.context.ContextRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.contextpropagation.ObservationAwareSpanThreadLocalAccessor;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.junit.jupiter.api.Test;

import org.springframework.aop.SpringProxy;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.boot.LazyInitializationBeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.SpanProcessors;
import org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration;
import org.springframework.boot.task.SimpleAsyncTaskExecutorBuilder;
import org.springframework.boot.task.SimpleAsyncTaskSchedulerBuilder;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.core.task.TaskDecorator;
import org.springframework.scheduling.concurrent.SimpleAsyncTaskScheduler;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import static org.assertj.core.api.Assertions.assertThat;

class TelemetryContextPropagationAutoConfigurationTests {

	private static final EventName CHECKOUT = EventName.parse("shop.checkout");

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OpenTelemetrySdkAutoConfiguration.class,
				ObservationAutoConfiguration.class, MicrometerTracingAutoConfiguration.class,
				OpenTelemetryTracingAutoConfiguration.class, TaskExecutionAutoConfiguration.class,
				TelemetryAutoConfiguration.class, TelemetryTracingAutoConfiguration.class,
				TelemetryContextPropagationAutoConfiguration.class));

	// Allow-listed baggage keys tag spans only when there are some, and telemetry is on.
	@Test
	void tagsSpansWithBaggageOnlyWhenTagFieldsAreSet() {
		this.contextRunner.run((context) -> assertThat(context)
			.doesNotHaveBean(BaggageTagSpanProcessor.class));
		this.contextRunner.withPropertyValues("management.tracing.baggage.tag-fields=tenant", "telemetry.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(BaggageTagSpanProcessor.class)
				.hasSingleBean(TraceContextCarrier.class));
		this.contextRunner.withPropertyValues("management.tracing.baggage.tag-fields=tenant,region")
			.run((context) -> assertThat(context).hasSingleBean(BaggageTagSpanProcessor.class)
				.getBean(SpanProcessors.class)
				.satisfies((processors) -> assertThat(processors.list())
					.hasAtLeastOneElementOfType(BaggageTagSpanProcessor.class)));
	}

	// Closing one context leaves in the global registry the Tracer accessor that another context registered
	// since, and closing that one removes it.
	@Test
	void closingOneContextKeepsTheTracerAccessorOfAnother() {
		this.contextRunner.run((first) -> {
			this.contextRunner.run((second) -> {
				first.close();
				assertThat(ContextRegistry.getInstance().getThreadLocalAccessors())
					.anyMatch((accessor) -> accessor.key().equals(ObservationAwareSpanThreadLocalAccessor.KEY));
			});
			assertThat(ContextRegistry.getInstance().getThreadLocalAccessors())
				.noneMatch((accessor) -> accessor.key().equals(ObservationAwareSpanThreadLocalAccessor.KEY));
		});
	}

	// Under spring.main.lazy-initialization=true, where nothing asks for it, the Tracer accessor is registered;
	// with telemetry off, it is not.
	@Test
	void registersTheTracerAccessorUnderLazyInitialization() {
		this.contextRunner
			.withInitializer((context) -> context.addBeanFactoryPostProcessor(new LazyInitializationBeanFactoryPostProcessor()))
			.run((context) -> assertThat(ContextRegistry.getInstance().getThreadLocalAccessors())
				.anyMatch((accessor) -> accessor.key().equals(ObservationAwareSpanThreadLocalAccessor.KEY)));
		this.contextRunner.withPropertyValues("telemetry.enabled=false")
			.run((context) -> assertThat(ContextRegistry.getInstance().getThreadLocalAccessors())
				.noneMatch((accessor) -> accessor.key().equals(ObservationAwareSpanThreadLocalAccessor.KEY)));
	}

	// Only the trace context travels, not every thread local registered with Micrometer (Spring Security registers
	// the logged-in user's): through Boot's executor (the task decorator) and a scheduler made here (the proxy).
	@Test
	void carriesTheTraceContextOnly() {
		ThreadLocal<String> user = new ThreadLocal<>();
		ContextRegistry.getInstance().registerThreadLocalAccessor("test.user", user::get, user::set, user::remove);
		user.set("alice");
		try {
			this.contextRunner.run((context) -> {
				AsyncTaskExecutor executor = context.getBean("applicationTaskExecutor", AsyncTaskExecutor.class);
				assertCarriesSpan(context, (task) -> executor.submit(task).get(10, TimeUnit.SECONDS));
				assertThat(executor.submit(user::get).get(10, TimeUnit.SECONDS)).isNull();
			});
			this.contextRunner.withBean("scheduler", ThreadPoolTaskScheduler.class, ThreadPoolTaskScheduler::new)
				.run((context) -> {
					ThreadPoolTaskScheduler scheduler = context.getBean("scheduler", ThreadPoolTaskScheduler.class);
					assertCarriesSpan(context, (task) -> scheduler.submit(task).get(10, TimeUnit.SECONDS));
					assertThat(scheduler.submit(user::get).get(10, TimeUnit.SECONDS)).isNull();
				});
		}
		finally {
			user.remove();
			ContextRegistry.getInstance().removeThreadLocalAccessor("test.user");
		}
	}

	// Boot's applicationTaskExecutor (behind @Async) runs tasks inside the span that submitted them.
	@Test
	void applicationTaskExecutorCarriesSpan() {
		this.contextRunner.run((context) -> {
			AsyncTaskExecutor executor = context.getBean("applicationTaskExecutor", AsyncTaskExecutor.class);
			assertCarriesSpan(context, (task) -> executor.submit(task).get(10, TimeUnit.SECONDS));
		});
	}

	// An ExecutorService bean declared as the interface is wrapped and carries the span into tasks.
	@Test
	void executorServiceBeanCarriesSpan() {
		this.contextRunner.withBean("pool", ExecutorService.class, () -> Executors.newFixedThreadPool(1))
			.run((context) -> {
				ExecutorService pool = context.getBean("pool", ExecutorService.class);
				assertCarriesSpan(context, (task) -> pool.submit(task).get(10, TimeUnit.SECONDS));
				pool.shutdownNow();
			});
	}

	// A subclass of ThreadPoolExecutor is wrapped by a subclass proxy, so it keeps its type.
	@Test
	void executorServiceSubclassKeepsItsType() {
		this.contextRunner.withBean("pool", WorkerPool.class, WorkerPool::new).run((context) -> {
			WorkerPool pool = context.getBean("pool", WorkerPool.class);
			assertCarriesSpan(context, (task) -> pool.submit(task).get(10, TimeUnit.SECONDS));
			pool.shutdownNow();
		});
	}

	// A JDK ThreadPoolExecutor declared by its class is left as it is rather than break its injection points.
	@Test
	void jdkExecutorDeclaredByClassIsLeftAlone() {
		this.contextRunner
			.withBean("pool", ThreadPoolExecutor.class, () -> (ThreadPoolExecutor) Executors.newFixedThreadPool(1))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean("pool")).isExactlyInstanceOf(ThreadPoolExecutor.class);
				context.getBean("pool", ThreadPoolExecutor.class).shutdownNow();
			});
	}

	// A ThreadPoolTaskScheduler the application makes itself carries the span into tasks, and keeps its type.
	@Test
	void userBuiltSchedulerCarriesSpan() {
		this.contextRunner.withBean("scheduler", ThreadPoolTaskScheduler.class, ThreadPoolTaskScheduler::new)
			.run((context) -> {
				ThreadPoolTaskScheduler scheduler = context.getBean("scheduler", ThreadPoolTaskScheduler.class);
				assertCarriesSpan(context, (task) -> scheduler.submit(task).get(10, TimeUnit.SECONDS));
			});
	}

	// An executor bean that is a proxy already (an aspect matched it) carries the span into tasks too.
	@Test
	void executorProxiedAlreadyCarriesSpan() {
		this.contextRunner.withBean("pool", ThreadPoolTaskExecutor.class, () -> {
			ProxyFactory factory = new ProxyFactory(new ThreadPoolTaskExecutor());
			factory.setProxyTargetClass(true);
			factory.addAdvice((MethodInterceptor) MethodInvocation::proceed);
			return (ThreadPoolTaskExecutor) factory.getProxy();
		}).run((context) -> {
			ThreadPoolTaskExecutor pool = context.getBean("pool", ThreadPoolTaskExecutor.class);
			assertCarriesSpan(context, (task) -> pool.submit(task).get(10, TimeUnit.SECONDS));
		});
	}

	// An alias bean of an executor (the same object under a second name) is advised once, not once per name.
	@Test
	void aliasOfAnExecutorIsAdvisedOnce() {
		this.contextRunner.withBean("pool", ThreadPoolTaskExecutor.class, ThreadPoolTaskExecutor::new)
			.withUserConfiguration(AliasConfiguration.class)
			.run((context) -> {
				assertThat(context.getBean("taskExecutorAlias")).isSameAs(context.getBean("pool"));
				assertThat(((Advised) context.getBean("pool")).getAdvisors()).hasSize(1);
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class AliasConfiguration {

		@Bean
		Executor taskExecutorAlias(ThreadPoolTaskExecutor pool) {
			return pool;
		}

	}

	// Spring AOT asks for each bean's type before the bean exists, to generate the proxy class at build time or
	// register the JDK proxy (a native image makes neither at run time): the class it is told is the bean's.
	@Test
	void typeToldToSpringAotIsTheClassOfTheBean() {
		// A ThreadPoolTaskExecutor, a SimpleAsyncTaskExecutor under virtual threads: proxied or not, as told.
		this.contextRunner.run((context) -> assertTypeToldToSpringAot(context, "applicationTaskExecutor"));
		this.contextRunner.withBean("pool", ExecutorService.class, () -> Executors.newFixedThreadPool(1))
			.withBean("scheduler", ThreadPoolTaskScheduler.class, ThreadPoolTaskScheduler::new)
			.withBean("jdkPool", ThreadPoolExecutor.class, () -> (ThreadPoolExecutor) Executors.newFixedThreadPool(1))
			.withBean("simple", SimpleAsyncTaskExecutor.class, SimpleAsyncTaskExecutor::new)
			.run((context) -> {
				assertTypeToldToSpringAot(context, "pool", "scheduler", "jdkPool", "simple");
				assertThat(Proxy.isProxyClass(context.getBean("pool").getClass())).isTrue();
				assertThat(context.getBean("scheduler")).isInstanceOf(SpringProxy.class);
				context.getBean("pool", ExecutorService.class).shutdownNow();
				context.getBean("jdkPool", ExecutorService.class).shutdownNow();
			});
	}

	private static void assertTypeToldToSpringAot(AssertableApplicationContext context, String... beanNames) {
		ContextPropagatingExecutorPostProcessor postProcessor = context
			.getBean(ContextPropagatingExecutorPostProcessor.class);
		for (String name : beanNames) {
			Class<?> declared = context.getBeanFactory().getMergedBeanDefinition(name).getResolvableType().resolve();
			assertThat(postProcessor.determineBeanType(declared, name)).as(name)
				.isSameAs(context.getBean(name).getClass());
		}
	}

	// Executors and schedulers made with Boot's builders (Boot's own under virtual threads among them) carry the
	// span into tasks.
	@Test
	void builderMadeSimpleExecutorAndSchedulerCarrySpan() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(TaskSchedulingAutoConfiguration.class))
			.withUserConfiguration(BuilderMadeExecutors.class)
			.run((context) -> {
				SimpleAsyncTaskExecutor simple = context.getBean("simple", SimpleAsyncTaskExecutor.class);
				SimpleAsyncTaskScheduler scheduler = context.getBean(SimpleAsyncTaskScheduler.class);
				assertCarriesSpan(context, (task) -> simple.submit(task).get(10, TimeUnit.SECONDS));
				assertCarriesSpan(context, (task) -> scheduler.submit(task).get(10, TimeUnit.SECONDS));
			});
	}

	// A SimpleAsyncTaskScheduler decorates a task scheduled for later when it fires, on its own thread, so
	// the task runs in no span; wrapped with the carrier, as the README says, it runs in the caller's.
	@Test
	void taskScheduledForLaterOnSimpleSchedulerNeedsTheCarrier() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(TaskSchedulingAutoConfiguration.class))
			.withUserConfiguration(BuilderMadeExecutors.class)
			.run((context) -> {
				SimpleAsyncTaskScheduler scheduler = context.getBean(SimpleAsyncTaskScheduler.class);
				TraceContextCarrier carrier = context.getBean(TraceContextCarrier.class);
				Submitter later = (task) -> {
					FutureTask<String> future = new FutureTask<>(task);
					scheduler.schedule(future, Instant.now().plusMillis(20));
					return future.get(10, TimeUnit.SECONDS);
				};
				Tracer tracer = context.getBean(Tracer.class);
				assertThat(spanIdInTask(context.getBean(TelemetryEventBus.class), tracer, later)[1]).isNull();
				assertCarriesSpan(context, (task) -> later.submit(carrier.wrap(task)));
			});
	}

	// A SimpleAsyncTaskExecutor made by hand is left as it is: a subclass proxy would break its final getters.
	@Test
	void userBuiltSimpleExecutorKeepsItsSettings() {
		this.contextRunner.withBean("simple", SimpleAsyncTaskExecutor.class, () -> {
			SimpleAsyncTaskExecutor simple = new SimpleAsyncTaskExecutor();
			simple.setConcurrencyLimit(3);
			return simple;
		}).run((context) -> assertThat(context.getBean("simple", SimpleAsyncTaskExecutor.class).getConcurrencyLimit())
			.isEqualTo(3));
	}

	// A decorator the user already set still runs, composed with ours.
	@Test
	void keepsUserTaskDecorator() {
		this.contextRunner.withBean(TaskDecorator.class, () -> (runnable) -> () -> {
			Thread.currentThread().setName("decorated-by-user");
			runnable.run();
		}).run((context) -> {
			AsyncTaskExecutor executor = context.getBean("applicationTaskExecutor", AsyncTaskExecutor.class);
			String[] ids = spanIdInTask(context.getBean(TelemetryEventBus.class), context.getBean(Tracer.class),
					(task) -> executor.submit(task).get(10, TimeUnit.SECONDS));
			assertThat(ids[1]).isEqualTo(ids[0]);
			assertThat(executor.submit(() -> Thread.currentThread().getName()).get(10, TimeUnit.SECONDS))
				.isEqualTo("decorated-by-user");
		});
	}

	// A TaskDecorator the application injects by its type is still the application's own.
	@Test
	void applicationTaskDecoratorStaysTheOneInjected() {
		TaskDecorator own = (runnable) -> runnable;
		this.contextRunner.withBean("own", TaskDecorator.class, () -> own)
			.run((context) -> assertThat(context.getBean(TaskDecorator.class)).isSameAs(own));
	}

	// A ThreadPoolTaskExecutor the user builds with a decorator of its own keeps it, and carries the span.
	@Test
	void userBuiltExecutorKeepsItsDecorator() {
		this.contextRunner.withBean("pool", ThreadPoolTaskExecutor.class, () -> {
			ThreadPoolTaskExecutor pool = new ThreadPoolTaskExecutor();
			pool.setTaskDecorator((runnable) -> () -> {
				Thread.currentThread().setName("decorated-by-user");
				runnable.run();
			});
			return pool;
		}).run((context) -> {
			ThreadPoolTaskExecutor pool = context.getBean("pool", ThreadPoolTaskExecutor.class);
			assertCarriesSpan(context, (task) -> pool.submit(task).get(10, TimeUnit.SECONDS));
			assertThat(pool.submit(() -> Thread.currentThread().getName()).get(10, TimeUnit.SECONDS))
				.isEqualTo("decorated-by-user");
		});
	}

	// telemetry.context-propagation.enabled=false leaves executors as Boot made them.
	@Test
	void disabledByProperty() {
		this.contextRunner.withPropertyValues("telemetry.context-propagation.enabled=false").run((context) -> {
			AsyncTaskExecutor executor = context.getBean("applicationTaskExecutor", AsyncTaskExecutor.class);
			String[] ids = spanIdInTask(context.getBean(TelemetryEventBus.class), context.getBean(Tracer.class),
					(task) -> executor.submit(task).get(10, TimeUnit.SECONDS));
			assertThat(ids[1]).isNull();
		});
	}

	// The carrier bean is there for hand-made executors.
	@Test
	void providesCarrier() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(TraceContextCarrier.class));
	}

	/** Asserts that a task submitted inside a bus span runs in that span. */
	private static void assertCarriesSpan(ApplicationContext context, Submitter submitter) {
		assertThat(spanIdInTask(context.getBean(TelemetryEventBus.class), context.getBean(Tracer.class), submitter))
			.satisfies((ids) -> assertThat(ids[1]).isNotNull().isEqualTo(ids[0]));
	}

	/**
	 * The span id current in a bus span, and the one current in a task submitted from it.
	 */
	private static String[] spanIdInTask(TelemetryEventBus bus, Tracer tracer, Submitter submitter) {
		String[] ids = new String[2];
		bus.span(CHECKOUT, java.util.Map.of(), () -> {
			ids[0] = tracer.currentSpan().context().spanId();
			try {
				ids[1] = submitter.submit(() -> (tracer.currentSpan() != null) ? tracer.currentSpan().context().spanId() : null);
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
			return null;
		});
		return ids;
	}

	public static class WorkerPool extends ThreadPoolExecutor {

		public WorkerPool() {
			super(1, 1, 0, TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class BuilderMadeExecutors {

		@Bean
		SimpleAsyncTaskExecutor simple(SimpleAsyncTaskExecutorBuilder builder) {
			return builder.build();
		}

		@Bean
		SimpleAsyncTaskScheduler simpleScheduler(SimpleAsyncTaskSchedulerBuilder builder) {
			return builder.build();
		}

	}

	@FunctionalInterface
	interface Submitter {

		String submit(java.util.concurrent.Callable<String> task) throws Exception;

	}

}
