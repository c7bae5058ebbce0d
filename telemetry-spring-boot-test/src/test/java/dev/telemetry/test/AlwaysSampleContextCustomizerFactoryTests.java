package dev.telemetry.test;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

class AlwaysSampleContextCustomizerFactoryTests {

	private final ContextCustomizer customizer = new AlwaysSampleContextCustomizerFactory()
		.createContextCustomizer(getClass(), List.of());

	// With no sampling probability set, tests sample every trace, from Boot's default properties.
	@Test
	void samplesEveryTraceWhenNothingSetsTheProbability() {
		try (GenericApplicationContext context = new GenericApplicationContext()) {
			this.customizer.customizeContext(context, mock(MergedContextConfiguration.class));
			assertThat(context.getEnvironment().getProperty(AlwaysSampleContextCustomizerFactory.PROBABILITY))
				.isEqualTo("1.0");
			assertThat(context.getEnvironment().getPropertySources().stream().reduce((first, second) -> second))
				.hasValueSatisfying((last) -> assertThat(last.getName()).isEqualTo("defaultProperties"));
		}
	}

	// A probability set anywhere wins.
	@Test
	void keepsTheUsersProbability() {
		try (GenericApplicationContext context = new GenericApplicationContext()) {
			context.getEnvironment()
				.getPropertySources()
				.addFirst(new MapPropertySource("test",
						Map.of(AlwaysSampleContextCustomizerFactory.PROBABILITY, "0.1")));
			this.customizer.customizeContext(context, mock(MergedContextConfiguration.class));
			assertThat(context.getEnvironment().getProperty(AlwaysSampleContextCustomizerFactory.PROBABILITY))
				.isEqualTo("0.1");
			assertThat(context.getEnvironment().getPropertySources().contains("defaultProperties")).isFalse();
		}
	}

	// Every test gets an equal customizer, so the kit does not split Spring's context cache.
	@Test
	void keepsTheContextCacheWhole() {
		assertThat(new AlwaysSampleContextCustomizerFactory().createContextCustomizer(String.class, List.of()))
			.isEqualTo(this.customizer)
			.hasSameHashCodeAs(this.customizer);
	}

}
