package dev.telemetry.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import dev.telemetry.PolledMeasurement;
import dev.telemetry.TelemetryEventBus;
import dev.telemetry.metrics.TelemetryPoller;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link AutoConfiguration Auto-configuration} for the {@link TelemetryPoller}: JVM memory and
 * threads, executor queues, and every {@link PolledMeasurement} bean, every
 * {@code telemetry.poller.period}.
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
@AutoConfiguration(after = TelemetryAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = { "telemetry.enabled", "telemetry.poller.enabled" }, matchIfMissing = true)
public final class TelemetryPollerAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	TelemetryPoller telemetryPoller(TelemetryEventBus bus, TelemetryProperties properties,
			ObjectProvider<PolledMeasurement> measurements, ListableBeanFactory beans) {
		List<PolledMeasurement> all = new ArrayList<>(TelemetryPoller.builtInMeasurements(beans));
		measurements.orderedStream().forEach(all::add);
		return new TelemetryPoller(bus, all, properties.getPoller().getPeriod());
	}

}
