package dev.telemetry.aop;

import java.util.List;
import java.util.Map;

import dev.telemetry.InvalidTelemetryDeclarationException;
import dev.telemetry.TelemetryEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class InvalidTelemetryEventTests {

	// A bad prefix is reported with the bean, the method, the attribute and its value, and how event names are written.
	@Test
	void badPrefix() {
		InvalidTelemetryDeclarationException ex = invalid(BadPrefix.class, "checkoutService");
		assertThat(ex.getDescription())
			.startsWith("@TelemetryEvent on InvalidTelemetryEventTests.BadPrefix.checkout() of bean"
					+ " 'checkoutService' is not valid:")
			.contains("\n    Bean:      'checkoutService'\n"
					+ "    Method:    dev.telemetry.aop.InvalidTelemetryEventTests$BadPrefix.checkout()\n")
			.contains("Attribute: value = \"shop checkout\"")
			.contains("Reason:    segment 1 'shop checkout' may only hold letters, digits, '_' and '-'");
		assertThat(ex.getAction())
			.contains("dotted segments of letters, digits, '_' and '-', like 'shop.checkout'")
			.contains("fix the value of @TelemetryEvent on InvalidTelemetryEventTests.BadPrefix.checkout()");
	}

	// A pattern as prefix is refused, and the action points to @TelemetryListener for patterns.
	@Test
	void patternPrefix() {
		InvalidTelemetryDeclarationException ex = invalid(PatternPrefix.class, "checkoutService");
		assertThat(ex.getDescription()).contains("Method:    dev.telemetry.aop.InvalidTelemetryEventTests$PatternPrefix.checkout(Map<String, List<Integer>>, int[])")
			.contains("Attribute: value = \"shop.**\"")
			.contains("must not be a pattern");
		assertThat(ex.getAction()).contains("concrete name of the operation")
			.contains("@TelemetryListener(events = ...)");
	}

	// SpEL that does not parse is shown with the parser's message and a caret under the position in the entry.
	@Test
	void badExpression() {
		InvalidTelemetryDeclarationException ex = invalid(BadExpression.class, "checkoutService");
		assertThat(ex.getDescription()).contains("Attribute: stopMetadata = \"total=#result.total(\"")
			.contains("does not parse at position 13: EL1051E")
			.endsWith("\n\n        total=#result.total(\n                           ^");
		assertThat(ex.getAction())
			.startsWith("Fix the expression of 'total' in stopMetadata of @TelemetryEvent on "
					+ "InvalidTelemetryEventTests.BadExpression.checkout()")
			.contains("#result");
	}

	// An annotation on a class is reported as the class's.
	@Test
	void annotationOnType() {
		InvalidTelemetryDeclarationException ex = invalid(BadPrefixOnType.class, "orderService");
		assertThat(ex.getDescription()).startsWith(
				"@TelemetryEvent on class InvalidTelemetryEventTests.BadPrefixOnType (applied to "
						+ "InvalidTelemetryEventTests.BadPrefixOnType.place()) of bean 'orderService'");
	}

	private InvalidTelemetryDeclarationException invalid(Class<?> type, String beanName) {
		return catchThrowableOfType(InvalidTelemetryDeclarationException.class,
				() -> new TelemetryEventMethods().scan(type))
			.inBean(beanName);
	}

	static class BadPrefix {

		@TelemetryEvent("shop checkout")
		public void checkout() {
		}

	}

	static class PatternPrefix {

		@TelemetryEvent("shop.**")
		public void checkout(Map<String, List<Integer>> cart, int[] quantities) {
		}

	}

	static class BadExpression {

		@TelemetryEvent(value = "shop.checkout", stopMetadata = "total=#result.total(")
		public Object checkout() {
			return new Object();
		}

	}

	@TelemetryEvent("shop..order")
	static class BadPrefixOnType {

		public void place() {
		}

	}

}
