package dev.telemetry.aop;

import java.util.Set;
import java.util.function.Supplier;
import java.util.concurrent.ConcurrentHashMap;

import dev.telemetry.InvalidTelemetryDeclarationException;
import dev.telemetry.TelemetryEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.annotation.AnnotationUtils;

/**
 * Compiles the {@code @TelemetryEvent} methods of every bean as it is created, so that a bad
 * event name or expression stops start-up, and warns once start-up is done about the annotated
 * methods that a proxy cannot advise.
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
public class TelemetryEventMethodScanner implements BeanPostProcessor, SmartInitializingSingleton {

	private static final Log logger = LogFactory.getLog(TelemetryEventMethodScanner.class);

	private final Supplier<TelemetryEventMethods> methods;

	private final Set<Class<?>> scanned = ConcurrentHashMap.newKeySet();

	/**
	 * Create a scanner.
	 * @param methods where the compiled methods go, looked up on first use so that a post-processor
	 * does not make it early
	 */
	public TelemetryEventMethodScanner(Supplier<TelemetryEventMethods> methods) {
		this.methods = methods;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof TelemetryEventMethods) {
			return bean;
		}
		Class<?> targetClass = AopUtils.getTargetClass(bean);
		if (this.scanned.add(targetClass) && AnnotationUtils.isCandidateClass(targetClass, TelemetryEvent.class)) {
			try {
				this.methods.get().scan(targetClass);
			}
			catch (InvalidTelemetryDeclarationException ex) {
				throw ex.inBean(beanName);
			}
		}
		return bean;
	}

	@Override
	public void afterSingletonsInstantiated() {
		if (this.methods.get().unadvisable().isEmpty()) {
			return;
		}
		StringBuilder message = new StringBuilder(
				"These @TelemetryEvent methods will never emit events or spans, because a proxy cannot advise them:");
		for (TelemetryEventMethods.UnadvisableMethod method : this.methods.get().unadvisable()) {
			message.append("\n  ").append(method.method()).append(" (").append(method.event()).append("): ")
				.append(method.reason());
		}
		logger.warn(message);
	}

}
