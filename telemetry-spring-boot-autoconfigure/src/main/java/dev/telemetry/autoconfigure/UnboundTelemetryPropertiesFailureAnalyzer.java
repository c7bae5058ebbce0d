package dev.telemetry.autoconfigure;

import java.util.List;

import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;

/**
 * Explains {@code telemetry.*} properties that bind to nothing (the prefix is strict, so that a
 * misspelt key stops start-up), above all a dotted meter name under {@code telemetry.metrics}
 * written without brackets.
 *
 * @author telemetry-spring-boot
 */
class UnboundTelemetryPropertiesFailureAnalyzer extends AbstractFailureAnalyzer<UnboundConfigurationPropertiesException>
		implements Ordered {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, UnboundConfigurationPropertiesException cause) {
		List<String> names = cause.getUnboundProperties()
			.stream()
			.map(ConfigurationProperty::getName)
			.map(Object::toString)
			.filter((name) -> name.startsWith("telemetry."))
			.sorted()
			.toList();
		if (names.isEmpty()) {
			return null;
		}
		StringBuilder description = new StringBuilder("These telemetry properties match no setting:\n");
		names.forEach((name) -> description.append("\n    ").append(name));
		String action = "Check their spelling against the telemetry.* properties in the README.";
		if (names.stream().anyMatch((name) -> name.startsWith("telemetry.metrics."))) {
			action += " Under telemetry.metrics, a meter name with dots must be written in brackets, or the binder "
					+ "splits it at the dots: in YAML\n\n    telemetry:\n      metrics:\n        \"[shop.checkout.duration]\":\n"
					+ "          event: shop.checkout.stop\n\n  or telemetry.metrics[shop.checkout.duration].event=shop.checkout.stop"
					+ " in a .properties file.";
		}
		return new FailureAnalysis(description.toString(), action, cause);
	}

	@Override
	public int getOrder() {
		// Ahead of Boot's generic analysis of unbound properties.
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
