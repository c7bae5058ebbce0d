package dev.telemetry;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Turns a method into a span: {@code <prefix>.start}, then {@code <prefix>.stop} or
 * {@code <prefix>.exception}, exactly as {@link TelemetryEventBus#span}, and a trace span named
 * after the prefix, child of the current span.
 * <p>
 * On a type it applies to all public methods of the type. A method returning a
 * {@code CompletionStage} (or a Reactor {@code Mono} or {@code Flux}) ends its events and span when
 * the result completes. Expressions are SpEL over the arguments ({@code #name}, {@code #p0},
 * {@code #a0}) and, after the call, the result ({@code #result}); they are parsed once at start-up,
 * and one that does not parse stops start-up naming the method.
 * <p>
 * Advised through Spring AOP proxies: calls from inside the same object (self-invocation) and
 * private, final or static methods are not advised; the latter are reported at start-up.
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
@Target({ ElementType.METHOD, ElementType.TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Documented
public @interface TelemetryEvent {

	/**
	 * The event prefix, e.g. {@code shop.checkout}.
	 * @return the dotted prefix
	 */
	String value();

	/**
	 * Metadata of every event, as {@code key=SpEL} over the arguments, evaluated before the call,
	 * e.g. {@code cart_size=#cart.items().size()}.
	 * @return the metadata expressions
	 */
	String[] metadata() default {};

	/**
	 * Metadata of the stop event, as {@code key=SpEL}, evaluated after success; {@code #result} is
	 * the return value.
	 * @return the stop metadata expressions
	 */
	String[] stopMetadata() default {};

	/**
	 * Numeric measurements of the stop event, as {@code key=SpEL}; {@code #result} is available.
	 * @return the measurement expressions
	 */
	String[] measurements() default {};

	/**
	 * Whether to record a trace span named after the prefix.
	 * @return whether to trace
	 */
	boolean span() default true;

}
