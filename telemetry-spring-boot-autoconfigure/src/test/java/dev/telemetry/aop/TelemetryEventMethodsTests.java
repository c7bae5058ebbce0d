package dev.telemetry.aop;

import dev.telemetry.TelemetryEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class TelemetryEventMethodsTests {

	private final TelemetryEventMethods methods = new TelemetryEventMethods();

	// An expression that does not parse is refused, naming the method and the expression.
	@Test
	void refusesUnparsableExpression() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.methods.scan(BadExpression.class))
			.withMessageContaining("BadExpression.pay()")
			.withMessageContaining("total=#amount +* 2");
	}

	// A definition without key=expression is refused with the form expected.
	@Test
	void refusesDefinitionWithoutKey() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.methods.scan(MissingKey.class))
			.withMessageContaining("MissingKey.pay()")
			.withMessageContaining("key=expression");
	}

	// A bad event prefix, or a pattern, is refused naming the method.
	@Test
	void refusesBadPrefix() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.methods.scan(BadPrefix.class))
			.withMessageContaining("BadPrefix.pay()")
			.withMessageContaining("shop pay");
		assertThatIllegalArgumentException().isThrownBy(() -> this.methods.scan(PatternPrefix.class))
			.withMessageContaining("must not be a pattern");
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
