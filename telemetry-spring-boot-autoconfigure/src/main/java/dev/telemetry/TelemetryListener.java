package dev.telemetry;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.aot.hint.annotation.Reflective;

/**
 * Attaches a bean to telemetry events when the application context has refreshed, and detaches
 * it when the context closes.
 * <p>
 * On a method, the method must take {@code (EventName, Map<String, Number>, Map<String, Object>)}.
 * On a class, the class must implement {@link TelemetryHandler}. Event names and patterns are
 * dotted ({@code shop.checkout.stop}, {@code shop.*.exception}, {@code shop.**}); a name that is
 * not valid stops start-up with a message naming the bean, the method and the name. Like
 * {@code @EventListener}, it is {@link Reflective @Reflective}: Spring AOT registers the method for
 * reflection, which a native image needs to find and call it.
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
@Target({ ElementType.METHOD, ElementType.TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Reflective
public @interface TelemetryListener {

	/** One or more event names or patterns to attach to, dotted. */
	String[] events();

	/**
	 * The handler id; by default {@code beanName#methodName} on a method and the bean name on a
	 * class. Ids are unique across the bus.
	 */
	String id() default "";

}
