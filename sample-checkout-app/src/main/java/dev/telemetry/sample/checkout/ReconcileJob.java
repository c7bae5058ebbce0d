package dev.telemetry.sample.checkout;

import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Every {@code shop.reconcile.period}, sends again the notifications of orders that were never
 * notified. Boot observes each run ({@code tasks.scheduled.execution}), so each run is a trace of
 * its own, with the job's span {@code shop.job.reconcile} in it; a run that fails is logged by
 * {@link FailureLog} with its trace id, and the next run is the next attempt.
 *
 * @author telemetry-spring-boot
 */
@Component
class ReconcileJob {

	static final String NAME = "reconcile-orders";

	private final OrderNotifications notifications;

	private final AtomicInteger failedRuns = new AtomicInteger();

	ReconcileJob(OrderNotifications notifications) {
		this.notifications = notifications;
	}

	@Scheduled(fixedDelayString = "${shop.reconcile.period:30s}", initialDelayString = "${shop.reconcile.period:30s}")
	void run() {
		try {
			this.notifications.resendUnnotified(NAME, this.failedRuns.get() + 1);
			this.failedRuns.set(0);
		}
		catch (RuntimeException ex) {
			this.failedRuns.incrementAndGet();
			throw ex;
		}
	}

}
