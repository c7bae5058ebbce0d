package dev.telemetry.sample.minimal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A JDK pool that the application declares as an {@code ExecutorService} bean, as many do: the
 * starter reads the declared type from the bean definition, which under Spring AOT (the sample's
 * tests run there too) is generated code, and runs each task in the span that submitted it.
 */
@SpringBootTest(classes = ExecutorServiceBeanTests.PoolApplication.class)
class ExecutorServiceBeanTests {

	@Autowired
	ExecutorService pool;

	@Autowired
	Tracer tracer;

	@Test
	void taskRunsInTheSubmittingSpan() throws Exception {
		Span parent = this.tracer.nextSpan().name("parent").start();
		Future<String> seen;
		try (Tracer.SpanInScope scope = this.tracer.withSpan(parent)) {
			seen = this.pool.submit(() -> {
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

	}

}
