package dev.telemetry.listener

import dev.telemetry.EventName
import dev.telemetry.TelemetryEventBus
import dev.telemetry.TelemetryListener
import dev.telemetry.bus.DefaultTelemetryEventBus
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.Test
import org.springframework.boot.test.context.runner.ApplicationContextRunner
import java.util.concurrent.CopyOnWriteArrayList

/**
 * A `@TelemetryListener` function written as Kotlin reads it, whose maps Kotlin compiles with wildcards.
 */
class KotlinTelemetryListenerTests {

	private val contextRunner = ApplicationContextRunner()
		.withBean(TelemetryEventBus::class.java, { DefaultTelemetryEventBus() })
		.withUserConfiguration(TelemetryListenerRegistrarTests.RegistrarConfiguration::class.java)

	// The function is attached and receives its events.
	@Test
	fun kotlinListenerFunctionIsAttached() {
		contextRunner.withBean("checkoutListener", CheckoutListener::class.java).run { context ->
			context.getBean(TelemetryEventBus::class.java)
				.execute("shop.checkout.stop", mapOf("duration" to 5L), mapOf("outcome" to "ok"))
			assertThat(context.getBean(CheckoutListener::class.java).received).containsExactly("shop.checkout.stop 5 ok")
		}
	}

	open class CheckoutListener {

		val received = CopyOnWriteArrayList<String>()

		@TelemetryListener(events = ["shop.checkout.stop"])
		fun onStop(event: EventName, measurements: Map<String, Number>, metadata: Map<String, Any>) {
			received.add("$event ${measurements["duration"]} ${metadata["outcome"]}")
		}

	}

}
