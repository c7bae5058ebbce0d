package dev.telemetry.aop;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.function.Supplier;

import dev.telemetry.TelemetryEvent;
import dev.telemetry.TelemetryEventBus;

import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.StaticMethodMatcherPointcutAdvisor;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;

/**
 * Advises the {@link TelemetryEvent @TelemetryEvent} methods of beans: methods annotated
 * themselves (or in a type or interface they override), and the public methods of annotated
 * types, the same methods that {@link TelemetryEventMethods#scan(Class)} compiles. The advisor is
 * made by the auto-proxy creator before most beans, so the bus and the methods are looked up on
 * the first advised call.
 * <p>
 * Ordered just before {@code @Transactional} and {@code @Cacheable} at their default order
 * ({@code Ordered.LOWEST_PRECEDENCE - 1}): the span covers the transaction, and a commit that
 * fails is its exception, whichever advisor was registered first.
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
public class TelemetryEventAdvisor extends StaticMethodMatcherPointcutAdvisor {

	/**
	 * Create the advisor.
	 * @param bus the bus that emits the events, looked up on the first advised call
	 * @param methods the compiled annotated methods, looked up on the first advised call
	 */
	public TelemetryEventAdvisor(Supplier<TelemetryEventBus> bus, Supplier<TelemetryEventMethods> methods) {
		super(new TelemetryEventInterceptor(bus, methods));
		setClassFilter((type) -> AnnotationUtils.isCandidateClass(type, TelemetryEvent.class));
		setOrder(Ordered.LOWEST_PRECEDENCE - 1);
	}

	// Not a private, static or final method, which a proxy cannot advise: matching one would proxy a bean for
	// nothing, and a final method of a class proxy runs on the proxy instance, whose fields are not set. A JDK
	// proxy's methods are final, but its interfaces' are what is advised.
	@Override
	public boolean matches(Method method, Class<?> targetClass) {
		Method specific = AopUtils.getMostSpecificMethod(method, targetClass);
		if (!Proxy.isProxyClass(targetClass) && TelemetryEventMethods.unadvisableReason(specific.getModifiers()) != null) {
			return false;
		}
		return AnnotatedElementUtils.hasAnnotation(specific, TelemetryEvent.class)
				|| (TelemetryEventMethods.typeAnnotationApplies(specific)
						&& AnnotatedElementUtils.hasAnnotation(targetClass, TelemetryEvent.class));
	}

}
