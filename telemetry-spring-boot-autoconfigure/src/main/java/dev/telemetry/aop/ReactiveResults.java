package dev.telemetry.aop;

import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

import dev.telemetry.TelemetrySpan;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.util.ClassUtils;

/**
 * Ends spans of methods that return a Reactor {@code Mono} or {@code Flux} when the publisher
 * terminates. Only loaded when Reactor is on the classpath.
 *
 * @author telemetry-spring-boot
 */
final class ReactiveResults {

	private static final boolean REACTOR_PRESENT = ClassUtils.isPresent("reactor.core.publisher.Mono",
			ReactiveResults.class.getClassLoader());

	private ReactiveResults() {
	}

	static boolean isReactive(Class<?> type) {
		return REACTOR_PRESENT && Reactor.isReactive(type);
	}

	/**
	 * Reactor types are only named in here, so that this class loads without Reactor.
	 */
	static final class Reactor {

		static boolean isReactive(Class<?> type) {
			return Mono.class.isAssignableFrom(type) || Flux.class.isAssignableFrom(type);
		}

		static Object decorate(Object publisher, Supplier<TelemetrySpan> start,
				BiConsumer<TelemetrySpan, @Nullable Object> stop) {
			if (publisher instanceof Mono<?> mono) {
				return Mono.defer(() -> {
					TelemetrySpan span = start.get();
					return mono.doOnSuccess((value) -> stop.accept(span, value))
						.doOnError(span::exception)
						.doOnCancel(() -> span.stop(Map.of(), Map.of("cancelled", true)));
				});
			}
			Flux<?> flux = (Flux<?>) publisher;
			return Flux.defer(() -> {
				TelemetrySpan span = start.get();
				return flux.doOnComplete(() -> stop.accept(span, null))
					.doOnError(span::exception)
					.doOnCancel(() -> span.stop(Map.of(), Map.of("cancelled", true)));
			});
		}

	}

}
