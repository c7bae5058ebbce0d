package dev.telemetry.aop

import dev.telemetry.EventName
import dev.telemetry.TelemetryEvent
import dev.telemetry.TelemetryHandler
import dev.telemetry.bus.DefaultTelemetryEventBus
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import org.assertj.core.api.Assertions.assertThat
import org.assertj.core.api.Assertions.assertThatIllegalStateException
import org.junit.jupiter.api.Test
import org.springframework.aop.framework.ProxyFactory
import java.util.concurrent.CopyOnWriteArrayList

/**
 * `@TelemetryEvent` on a Kotlin suspending function, which Spring AOP's interceptors see returning
 * a Publisher of its result, and on a function returning a Flow.
 */
class SuspendingTelemetryEventTests {

	private val bus = DefaultTelemetryEventBus()

	private val events = CopyOnWriteArrayList<String>()

	private val service: PriceService

	init {
		bus.attach("recorder", EventName.parse("shop.**"), TelemetryHandler { event, _, _, _ -> events.add(event.toString()) }, null)
		val methods = TelemetryEventMethods()
		val factory = ProxyFactory(PriceService(events))
		factory.isProxyTargetClass = true
		factory.addAdvisor(TelemetryEventAdvisor({ bus }, { methods }))
		service = factory.proxy as PriceService
	}

	// The span ends when the function completes, after it suspended, not when it first returns.
	@Test
	fun spanEndsWhenTheFunctionCompletes() {
		assertThat(runBlocking { service.price("pen") }).isEqualTo("pen=1.20")
		assertThat(events).containsExactly("shop.price.start", "priced pen", "shop.price.stop")
	}

	// A function that throws after it suspended ends its span with the exception event.
	@Test
	fun exceptionAfterSuspendingIsTheSpansException() {
		assertThatIllegalStateException().isThrownBy { runBlocking { service.price("ink") } }
		assertThat(events).containsExactly("shop.price.start", "shop.price.exception")
	}

	// A function returning a Flow has a span per collection, which ends when the flow completes.
	@Test
	fun flowSpanEndsWhenTheFlowCompletes() {
		assertThat(runBlocking { service.prices("pen").toList() }).containsExactly("pen=1.20")
		assertThat(events).containsExactly("shop.prices.start", "priced pen", "shop.prices.stop")
	}

	open class PriceService(private val events: MutableList<String>) {

		@TelemetryEvent("shop.price")
		open suspend fun price(sku: String): String {
			delay(20)
			check(sku != "ink") { "no price for ink" }
			events.add("priced $sku")
			return "$sku=1.20"
		}

		@TelemetryEvent("shop.prices")
		open fun prices(sku: String): Flow<String> = flow {
			delay(20)
			events.add("priced $sku")
			emit("$sku=1.20")
		}

	}

}
