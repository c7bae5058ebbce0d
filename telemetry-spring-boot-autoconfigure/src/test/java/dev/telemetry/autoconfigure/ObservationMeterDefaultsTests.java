package dev.telemetry.autoconfigure;

import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real start-ups of Boot's metrics and observation auto-configuration, with the post-processor
 * found through {@code spring.factories}: an Observation records its timer but no
 * {@code .active} long task timer, unless the user sets Boot's property.
 */
class ObservationMeterDefaultsTests {

	// With nothing set, an Observation in Boot's registry is timed, without a long task timer.
	@Test
	void observationsMakeNoLongTaskTimer() {
		try (ConfigurableApplicationContext context = application().run()) {
			MeterRegistry meters = observe(context);
			assertThat(meters.find("shop.checkout").timer()).extracting(Timer::count).isEqualTo(1L);
			assertThat(meters.find("shop.checkout.active").longTaskTimer()).isNull();
		}
	}

	// A user who lists the ignored meters, here none, gets Boot's long task timer back.
	@Test
	void theUsersIgnoredMetersWin() {
		try (ConfigurableApplicationContext context = application()
			.run("--management.metrics.observations.ignored-meters=")) {
			MeterRegistry meters = observe(context);
			assertThat(meters.find("shop.checkout.active").longTaskTimer()).isInstanceOf(LongTaskTimer.class);
		}
	}

	// With telemetry.enabled=false, Boot's own default (a long task timer) stays.
	@Test
	void bootsDefaultStaysWhenTelemetryIsDisabled() {
		try (ConfigurableApplicationContext context = application().run("--telemetry.enabled=false")) {
			MeterRegistry meters = observe(context);
			assertThat(meters.find("shop.checkout.active").longTaskTimer()).isInstanceOf(LongTaskTimer.class);
		}
	}

	private static MeterRegistry observe(ConfigurableApplicationContext context) {
		Observation.createNotStarted("shop.checkout", context.getBean(ObservationRegistry.class)).observe(() -> {
		});
		return context.getBean(MeterRegistry.class);
	}

	private static SpringApplicationBuilder application() {
		return new SpringApplicationBuilder(Metrics.class).web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false);
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ ObservationAutoConfiguration.class, MetricsAutoConfiguration.class,
			CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class })
	static class Metrics {

	}

}
