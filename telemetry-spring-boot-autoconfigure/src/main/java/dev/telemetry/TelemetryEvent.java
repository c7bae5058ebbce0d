package dev.telemetry;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.aot.hint.annotation.Reflective;

/**
 * Turns a method into a span: {@code <prefix>.start}, then {@code <prefix>.stop} or
 * {@code <prefix>.exception}, exactly as {@link TelemetryEventBus#span}, and a trace span named
 * after the prefix, child of the current span. On a type it applies to all its public methods.
 * <p>
 * A method returning a {@code CompletionStage}, {@code Mono} or {@code Flux} ends its span when the
 * result completes. Expressions are SpEL over the arguments ({@code #name}, {@code #p0}) and, after
 * the call, the result ({@code #result}), parsed at start-up: one that does not parse stops
 * start-up naming the method. Advised through Spring AOP proxies: self-invocation and private,
 * final or static methods are not advised; the latter are reported at start-up. Like
 * {@code @Transactional}, it is {@link Reflective @Reflective} for Spring AOT.
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
@Target({ ElementType.METHOD, ElementType.TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Documented
@Reflective
public @interface TelemetryEvent {

	/** The event prefix, e.g. {@code shop.checkout}. */
	String value();

	/**
	 * Metadata of every event, as {@code key=SpEL} over the arguments, evaluated before the call,
	 * e.g. {@code cart_size=#cart.items().size()}.
	 */
	String[] metadata() default {};

	/**
	 * Metadata of the stop event, as {@code key=SpEL}, evaluated after success; {@code #result} is
	 * the return value.
	 */
	String[] stopMetadata() default {};

	/** Numeric measurements of the stop event, as {@code key=SpEL}; {@code #result} is available. */
	String[] measurements() default {};

	/** Whether to record a trace span named after the prefix. */
	boolean span() default true;

}
