package dev.telemetry;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InvalidTelemetryDeclarationExceptionTests {

	private final InvalidTelemetryDeclarationException problem = new InvalidTelemetryDeclarationException(
			"@TelemetryEvent on Checkout.place()", Map.of("Method", method()), "metadata", "size=#cart.size(",
			"the SpEL expression does not parse", "Fix the expression.");

	// Every problem reads the same: what is declared where, then where, what, why, and the fix.
	@Test
	void describesWhereWhatWhyAndFix() {
		assertThat(this.problem.getDescription()).isEqualTo("""
				@TelemetryEvent on Checkout.place() is not valid:

				    Method:    dev.telemetry.InvalidTelemetryDeclarationExceptionTests$Checkout.place(Map<String, List<Integer>>, int)
				    Attribute: metadata = "size=#cart.size("
				    Reason:    the SpEL expression does not parse""");
		assertThat(this.problem.getAction()).isEqualTo("Fix the expression.");
		assertThat(this.problem.getMessage()).isEqualTo(this.problem.getDescription() + "\n\nFix the expression.");
	}

	// Naming the bean puts it in the headline and first among the places, and keeps the rest.
	@Test
	void inBeanNamesTheBeanFirst() {
		InvalidTelemetryDeclarationException inBean = this.problem.inBean("checkout");
		assertThat(inBean.getDescription()).startsWith("""
				@TelemetryEvent on Checkout.place() of bean 'checkout' is not valid:

				    Bean:      'checkout'
				    Method:    dev.telemetry""");
		assertThat(inBean.getDescription()).contains(" = \"size=#cart.size(\"");
	}

	// A position in the value is shown with a caret under it, and the parser's exception is the cause.
	@Test
	void caretUnderPosition() {
		IllegalStateException parser = new IllegalStateException("EL1051E");
		InvalidTelemetryDeclarationException at = this.problem.at(15, parser);
		assertThat(at.getDescription()).endsWith("\n\n        size=#cart.size(\n                       ^");
		assertThat(at.getCause()).isSameAs(parser);
	}

	// Problems found by the same check ride along as suppressed and are described and fixed in turn.
	@Test
	void suppressedProblemsAreReportedToo() {
		InvalidTelemetryDeclarationException other = new InvalidTelemetryDeclarationException("Metric 'orders'",
				Map.of("Property", "telemetry.metrics.orders.type"), "type", "", "no type is set", "Set the type.");
		this.problem.addSuppressed(other);
		this.problem.addSuppressed(new IllegalStateException("not a declaration problem"));
		assertThat(this.problem.getDescription()).contains("Reason:    the SpEL expression does not parse\n\n"
				+ "Metric 'orders' is not valid:\n\n    Property:  telemetry.metrics.orders.type\n");
		assertThat(this.problem.getAction()).isEqualTo("Fix the expression.\n\nSet the type.");
	}

	private static Method method() {
		try {
			return Checkout.class.getMethod("place", Map.class, int.class);
		}
		catch (NoSuchMethodException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static class Checkout {

		public void place(Map<String, List<Integer>> cart, int quantity) {
		}

	}

}
