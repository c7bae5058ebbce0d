package dev.telemetry.sample.checkout;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * A checkout service instrumented with the telemetry starter: one request, its business
 * operation, its database queries, its call to a payment provider, its background fulfilment and
 * its message through a broker show up as one trace; each run of the scheduled reconcile job is a
 * trace of its own.
 *
 * @author telemetry-spring-boot
 */
@SpringBootApplication
@EnableAsync
@EnableScheduling
public class CheckoutApplication {

	public static void main(String[] args) {
		SpringApplication.run(CheckoutApplication.class, args);
	}

}
