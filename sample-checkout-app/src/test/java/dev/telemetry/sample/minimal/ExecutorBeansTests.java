package dev.telemetry.sample.minimal;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Executor beans that an application declares, as many do: a JDK pool declared as an
 * {@code ExecutorService} and a {@code ThreadPoolTaskExecutor}. The starter proxies them so that
 * each task runs in the span that submitted it; under Spring AOT (the sample's tests run there
 * too), from the declared types in generated bean definitions, with the proxy classes made at
 * build time, as a native image needs.
 */
@SpringBootTest(classes = ExecutorBeansTests.PoolApplication.class)
class ExecutorBeansTests {

	@Autowired
	ExecutorService pool;

	@Autowired
	ThreadPoolTaskExecutor workers;

	@Autowired
	Tracer tracer;

	// A task submitted to the JDK pool, declared as an ExecutorService, runs in the span that submitted it.
	@Test
	void poolTaskRunsInTheSubmittingSpan() throws Exception {
		assertTaskRunsInTheSubmittingSpan(this.pool::submit);
	}

	// A task submitted to the ThreadPoolTaskExecutor bean runs in the span that submitted it.
	@Test
	void workersTaskRunsInTheSubmittingSpan() throws Exception {
		assertTaskRunsInTheSubmittingSpan(this.workers::submit);
	}

	// Under Spring AOT the executor's proxy class was made at build time: it has a class file on the classpath,
	// which a class made at run time has not.
	@Test
	@EnabledIfSystemProperty(named = "spring.aot.enabled", matches = "true")
	void underSpringAotTheProxyClassWasMadeAtBuildTime() {
		Class<?> proxy = this.workers.getClass();
		assertThat(proxy.getName()).contains("$$SpringCGLIB$$");
		assertThat(proxy.getClassLoader().getResource(proxy.getName().replace('.', '/') + ".class")).isNotNull();
	}

	private void assertTaskRunsInTheSubmittingSpan(Function<Callable<String>, Future<String>> submit)
			throws Exception {
		Span parent = this.tracer.nextSpan().name("parent").start();
		Future<String> seen;
		try (Tracer.SpanInScope scope = this.tracer.withSpan(parent)) {
			seen = submit.apply(() -> {
				Span current = this.tracer.currentSpan();
				return (current != null) ? current.context().traceId() : "no span";
			});
		}
		finally {
			parent.end();
		}
		assertThat(seen.get(10, TimeUnit.SECONDS)).isEqualTo(parent.context().traceId());
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class PoolApplication {

		@Bean(destroyMethod = "shutdownNow")
		ExecutorService pool() {
			return Executors.newFixedThreadPool(1);
		}

		@Bean
		ThreadPoolTaskExecutor workers() {
			return new ThreadPoolTaskExecutor();
		}

	}

}
