package dev.telemetry.autoconfigure;

import java.util.List;

import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Explains {@code telemetry.*} properties that bind to nothing (the prefix is strict, so that a
 * misspelt key stops start-up), above all a dotted meter name under {@code telemetry.metrics}
 * written without brackets. Ordered ahead of Boot's generic analysis of unbound properties.
 *
 * @author telemetry-spring-boot
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
class UnboundTelemetryPropertiesFailureAnalyzer extends AbstractFailureAnalyzer<UnboundConfigurationPropertiesException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, UnboundConfigurationPropertiesException cause) {
		List<String> names = cause.getUnboundProperties()
			.stream()
			.map((property) -> property.getName().toString())
			.filter((name) -> name.startsWith("telemetry."))
			.sorted()
			.toList();
		if (names.isEmpty()) {
			return null;
		}
		String description = "These telemetry properties match no setting:\n\n    " + String.join("\n    ", names);
		String action = "Check their spelling against the telemetry.* properties in the README.";
		if (names.stream().anyMatch((name) -> name.startsWith("telemetry.metrics."))) {
			action += " Under telemetry.metrics, a meter name with dots must be written in brackets, or the binder "
					+ "splits it at the dots: in YAML\n\n    telemetry:\n      metrics:\n        \"[shop.checkout.duration]\":\n"
					+ "          event: shop.checkout.stop\n\n  or telemetry.metrics[shop.checkout.duration].event=shop.checkout.stop"
					+ " in a .properties file.";
		}
		return new FailureAnalysis(description, action, cause);
	}

}
