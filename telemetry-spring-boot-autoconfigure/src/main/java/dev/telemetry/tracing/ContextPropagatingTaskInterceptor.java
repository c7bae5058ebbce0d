package dev.telemetry.tracing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;

import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

/**
 * Wraps the tasks given to an {@code ExecutorService} (or {@code ScheduledExecutorService})
 * method so that they run in the context current when they were submitted.
 *
 * @author telemetry-spring-boot
 */
final class ContextPropagatingTaskInterceptor implements MethodInterceptor {

	private final ContextSnapshotFactory snapshots;

	ContextPropagatingTaskInterceptor(ContextSnapshotFactory snapshots) {
		this.snapshots = snapshots;
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		Object[] arguments = invocation.getArguments();
		ContextSnapshot snapshot = null;
		for (int i = 0; i < arguments.length; i++) {
			Object argument = arguments[i];
			if (argument instanceof Runnable || argument instanceof Callable || argument instanceof Collection) {
				snapshot = (snapshot != null) ? snapshot : this.snapshots.captureAll();
				arguments[i] = wrap(snapshot, argument);
			}
		}
		return invocation.proceed();
	}

	private static Object wrap(ContextSnapshot snapshot, Object task) {
		if (task instanceof Runnable runnable) {
			return snapshot.wrap(runnable);
		}
		if (task instanceof Callable<?> callable) {
			return snapshot.wrap(callable);
		}
		List<Object> tasks = new ArrayList<>();
		for (Object element : (Collection<?>) task) {
			tasks.add((element instanceof Callable<?> callable) ? snapshot.wrap(callable) : element);
		}
		return tasks;
	}

}
