package dev.telemetry.test;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.env.DefaultPropertiesPropertySource;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Samples every trace in tests: {@code management.tracing.sampling.probability=1.0} (Spring
 * Boot's default is 0.1) as one of Boot's {@code defaultProperties}, the source of lowest
 * precedence, and only when nothing sets it: a value in {@code application.yml}, in the test's
 * properties or anywhere else wins.
 *
 * @author telemetry-spring-boot
 */
class AlwaysSampleContextCustomizerFactory implements ContextCustomizerFactory {

	static final String PROBABILITY = "management.tracing.sampling.probability";

	@Override
	public ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		return new AlwaysSample();
	}

	static final class AlwaysSample implements ContextCustomizer {

		@Override
		public void customizeContext(ConfigurableApplicationContext context,
				MergedContextConfiguration mergedConfig) {
			ConfigurableEnvironment environment = context.getEnvironment();
			if (!environment.containsProperty(PROBABILITY)) {
				DefaultPropertiesPropertySource.addOrMerge(Map.<String, Object>of(PROBABILITY, "1.0"),
						environment.getPropertySources());
			}
		}

		@Override
		public boolean equals(@Nullable Object obj) {
			return obj != null && obj.getClass() == getClass();
		}

		@Override
		public int hashCode() {
			return getClass().hashCode();
		}

	}

}
