package dev.telemetry.aop;

import dev.telemetry.InvalidTelemetryDeclarationException;
import dev.telemetry.TelemetryEvent;
import org.junit.jupiter.api.Test;

import org.springframework.expression.ParseException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class TelemetryEventMethodsTests {

	private final TelemetryEventMethods methods = new TelemetryEventMethods();

	// An expression that does not parse is refused, naming the method, the attribute, the expression and the parser's complaint.
	@Test
	void refusesUnparsableExpression() {
		assertThatExceptionOfType(InvalidTelemetryDeclarationException.class)
			.isThrownBy(() -> this.methods.scan(BadExpression.class))
			.withMessageContaining("BadExpression.pay()")
			.withMessageContaining("total=#amount +* 2")
			.satisfies((ex) -> {
				assertThat(ex.getDescription()).contains("Method:    " + BadExpression.class.getName() + ".pay(");
				assertThat(ex.getDescription()).contains("Attribute: metadata = ");
				assertThat(ex.getDescription()).contains(" = \"total=#amount +* 2\"");
				assertThat(ex.getDescription()).contains("position 9").contains("EL1070E");
				assertThat(ex.getCause()).isInstanceOf(ParseException.class);
			});
	}

	// A definition without key=expression is refused with the form expected.
	@Test
	void refusesDefinitionWithoutKey() {
		assertThatExceptionOfType(InvalidTelemetryDeclarationException.class)
			.isThrownBy(() -> this.methods.scan(MissingKey.class))
			.withMessageContaining("MissingKey.pay()")
			.satisfies((ex) -> {
				assertThat(ex.getDescription()).contains(" = \"#amount\"");
				assertThat(ex.getDescription()).contains("key=expression");
				assertThat(ex.getAction()).contains("key=SpEL");
			});
	}

	// A bad event prefix, or a pattern, is refused naming the method and the prefix.
	@Test
	void refusesBadPrefix() {
		assertThatExceptionOfType(InvalidTelemetryDeclarationException.class)
			.isThrownBy(() -> this.methods.scan(BadPrefix.class))
			.withMessageContaining("BadPrefix.pay()")
			.satisfies((ex) -> {
				assertThat(ex.getDescription()).contains("Attribute: value = ");
				assertThat(ex.getDescription()).contains(" = \"shop pay\"");
				assertThat(ex.getDescription()).contains("'shop pay' may only hold letters");
			});
		assertThatExceptionOfType(InvalidTelemetryDeclarationException.class)
			.isThrownBy(() -> this.methods.scan(PatternPrefix.class))
			.satisfies((ex) -> {
				assertThat(ex.getDescription()).contains(" = \"shop.*\"");
				assertThat(ex.getDescription()).contains("must not be a pattern");
				assertThat(ex.getAction()).contains("@TelemetryListener(events = ...)");
			});
	}

	// A bad prefix on a class is reported as the class's, so the user fixes the annotation where it is.
	@Test
	void badPrefixOnTypeNamesTheClass() {
		assertThatExceptionOfType(InvalidTelemetryDeclarationException.class)
			.isThrownBy(() -> this.methods.scan(BadPrefixOnType.class))
			.withMessageContaining("@TelemetryEvent on class TelemetryEventMethodsTests.BadPrefixOnType (applied to")
			.satisfies((ex) -> assertThat(ex.getDescription()).contains("Method:    " + BadPrefixOnType.class.getName() + ".pay()"));
	}

	// Scanning a bean as it is created adds the bean name, keeping the rest of the problem.
	@Test
	void scannerNamesTheBean() {
		assertThatExceptionOfType(InvalidTelemetryDeclarationException.class)
			.isThrownBy(() -> this.methods.postProcessAfterInitialization(new BadPrefix(), "paymentService"))
			.withMessageContaining("BadPrefix.pay() of bean 'paymentService'")
			.satisfies((ex) -> {
				assertThat(ex.getDescription()).contains("Bean:      'paymentService'");
				assertThat(ex.getDescription()).contains(" = \"shop pay\"");
			});
	}

	// Private, static and final annotated methods are reported with the reason, not compiled.
	@Test
	void reportsUnadvisableMethods() {
		this.methods.scan(Unadvisable.class);
		assertThat(this.methods.unadvisable()).extracting(TelemetryEventMethods.UnadvisableMethod::method)
			.containsExactlyInAnyOrder("TelemetryEventMethodsTests.Unadvisable.hidden()",
					"TelemetryEventMethodsTests.Unadvisable.shared()", "TelemetryEventMethodsTests.Unadvisable.sealed()");
		assertThat(this.methods.unadvisable()).allSatisfy((method) -> assertThat(method.reason()).isNotBlank());
		assertThat(this.methods.methods()).extracting((method) -> method.method().getName()).containsExactly("open");
	}

	static class BadExpression {

		@TelemetryEvent(value = "shop.pay", metadata = "total=#amount +* 2")
		public void pay() {
		}

	}

	static class MissingKey {

		@TelemetryEvent(value = "shop.pay", metadata = "#amount")
		public void pay() {
		}

	}

	static class BadPrefix {

		@TelemetryEvent("shop pay")
		public void pay() {
		}

	}

	@TelemetryEvent("shop/pay")
	static class BadPrefixOnType {

		public void pay() {
		}

	}

	static class PatternPrefix {

		@TelemetryEvent("shop.*")
		public void pay() {
		}

	}

	static class Unadvisable {

		@TelemetryEvent("shop.hidden")
		private void hidden() {
		}

		@TelemetryEvent("shop.shared")
		public static void shared() {
		}

		@TelemetryEvent("shop.sealed")
		public final void sealed() {
		}

		@TelemetryEvent("shop.open")
		public void open() {
		}

	}

}
