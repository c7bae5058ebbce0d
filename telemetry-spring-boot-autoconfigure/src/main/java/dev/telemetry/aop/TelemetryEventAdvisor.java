package dev.telemetry.aop;

import java.lang.reflect.Method;
import java.util.function.Supplier;

import dev.telemetry.TelemetryEvent;
import dev.telemetry.TelemetryEventBus;
import org.aopalliance.aop.Advice;

import org.springframework.aop.ClassFilter;
import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;

/**
 * Advises the {@link TelemetryEvent @TelemetryEvent} methods of beans with a
 * {@link TelemetryEventInterceptor}: methods annotated themselves (or in a type or interface they
 * override), and the public methods of annotated types, the same methods that
 * {@link TelemetryEventMethods#scan(Class)} compiles. The advisor is made by the auto-proxy
 * creator before most beans, so the bus and the methods are looked up on the first advised call.
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
public class TelemetryEventAdvisor extends AbstractPointcutAdvisor {

	private static final ClassFilter CANDIDATES = (type) -> AnnotationUtils.isCandidateClass(type,
			TelemetryEvent.class);

	private final Pointcut pointcut = new AnnotatedMethods();

	private final TelemetryEventInterceptor interceptor;

	/**
	 * Create the advisor.
	 * @param bus the bus that emits the events, looked up on the first advised call
	 * @param methods the compiled annotated methods, looked up on the first advised call
	 */
	public TelemetryEventAdvisor(Supplier<TelemetryEventBus> bus, Supplier<TelemetryEventMethods> methods) {
		this.interceptor = new TelemetryEventInterceptor(bus, methods);
	}

	@Override
	public Pointcut getPointcut() {
		return this.pointcut;
	}

	@Override
	public Advice getAdvice() {
		return this.interceptor;
	}

	private static final class AnnotatedMethods extends StaticMethodMatcherPointcut {

		AnnotatedMethods() {
			setClassFilter(CANDIDATES);
		}

		@Override
		public boolean matches(Method method, Class<?> targetClass) {
			Method specific = AopUtils.getMostSpecificMethod(method, targetClass);
			if (AnnotatedElementUtils.hasAnnotation(specific, TelemetryEvent.class)) {
				return true;
			}
			return TelemetryEventMethods.typeAnnotationApplies(specific)
					&& AnnotatedElementUtils.hasAnnotation(targetClass, TelemetryEvent.class);
		}

	}

}
