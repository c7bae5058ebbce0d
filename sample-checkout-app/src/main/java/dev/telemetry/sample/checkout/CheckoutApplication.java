package dev.telemetry.sample.checkout;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableAsync;

/**
 * A checkout service instrumented with the telemetry starter: one request, its business
 * operation, its call to a payment provider, its background fulfilment and a message hand-off
 * show up as one trace.
 *
 * @author telemetry-spring-boot
 */
@SpringBootApplication
@EnableAsync
public class CheckoutApplication {

	public static void main(String[] args) {
		SpringApplication.run(CheckoutApplication.class, args);
	}

}
