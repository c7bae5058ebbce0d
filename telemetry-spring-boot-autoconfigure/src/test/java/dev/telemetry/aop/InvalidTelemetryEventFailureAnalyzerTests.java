package dev.telemetry.aop;

import java.util.List;
import java.util.Map;

import dev.telemetry.TelemetryEvent;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class InvalidTelemetryEventFailureAnalyzerTests {

	private final InvalidTelemetryEventFailureAnalyzer analyzer = new InvalidTelemetryEventFailureAnalyzer();

	// A bad prefix is reported with the bean, the method, the attribute and its value, and how event names are written.
	@Test
	void badPrefix() {
		FailureAnalysis analysis = analyze(BadPrefix.class, "checkoutService");
		assertThat(analysis.getDescription())
			.startsWith("@TelemetryEvent on InvalidTelemetryEventFailureAnalyzerTests.BadPrefix.checkout() of bean"
					+ " 'checkoutService' is not valid:")
			.contains("\n    Bean:      'checkoutService'\n"
					+ "    Method:    dev.telemetry.aop.InvalidTelemetryEventFailureAnalyzerTests$BadPrefix.checkout()\n")
			.contains("Attribute: value = \"shop checkout\"")
			.contains("Reason:    segment 1 'shop checkout' may only hold letters, digits, '_' and '-'");
		assertThat(analysis.getAction())
			.contains("dotted segments of letters, digits, '_' and '-', like 'shop.checkout'")
			.contains("fix the value of @TelemetryEvent on InvalidTelemetryEventFailureAnalyzerTests.BadPrefix.checkout()");
	}

	// A pattern as prefix is refused, and the action points to @TelemetryListener for patterns.
	@Test
	void patternPrefix() {
		FailureAnalysis analysis = analyze(PatternPrefix.class, "checkoutService");
		assertThat(analysis.getDescription()).contains("Method:    dev.telemetry.aop.InvalidTelemetryEventFailureAnalyzerTests$PatternPrefix.checkout(Map<String, List<Integer>>, int[])")
			.contains("Attribute: value = \"shop.**\"")
			.contains("must not be a pattern");
		assertThat(analysis.getAction()).contains("concrete name of the operation")
			.contains("@TelemetryListener(events = ...)");
	}

	// SpEL that does not parse is shown with the parser's message and a caret under the position.
	@Test
	void badExpression() {
		FailureAnalysis analysis = analyze(BadExpression.class, "checkoutService");
		assertThat(analysis.getDescription()).contains("Attribute: stopMetadata = \"total=#result.total(\"")
			.contains("does not parse at position 13: EL1051E")
			.endsWith("\n\n        #result.total(\n                     ^");
		assertThat(analysis.getAction())
			.startsWith("Fix the expression of 'total' in stopMetadata of @TelemetryEvent on "
					+ "InvalidTelemetryEventFailureAnalyzerTests.BadExpression.checkout()")
			.contains("#result");
	}

	// An annotation on a class is reported as the class's.
	@Test
	void annotationOnType() {
		FailureAnalysis analysis = analyze(BadPrefixOnType.class, "orderService");
		assertThat(analysis.getDescription()).startsWith(
				"@TelemetryEvent on class InvalidTelemetryEventFailureAnalyzerTests.BadPrefixOnType (applied to "
						+ "InvalidTelemetryEventFailureAnalyzerTests.BadPrefixOnType.place()) of bean 'orderService'");
	}

	private FailureAnalysis analyze(Class<?> type, String beanName) {
		InvalidTelemetryEventException ex = catchThrowableOfType(InvalidTelemetryEventException.class,
				() -> new TelemetryEventMethods().scan(type));
		FailureAnalysis analysis = this.analyzer
			.analyze(new BeanCreationException(beanName, "Initialization of bean failed", ex.forBean(beanName)));
		assertThat(analysis).isNotNull();
		return analysis;
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
