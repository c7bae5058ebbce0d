package dev.telemetry.sample.checkout;

import java.util.Map;

import dev.telemetry.AttachedHandler;
import dev.telemetry.TelemetryEventBus;
import dev.telemetry.bus.DefaultTelemetryEventBus;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CheckoutApplicationTests {

	@LocalServerPort
	int port;

	@Autowired
	TelemetryEventBus bus;

	@Autowired
	CheckoutStatistics statistics;

	// With only the starter, the app gets the default bus and its listener is attached under its id.
	@Test
	void starterProvidesBusWithListenerAttached() {
		assertThat(this.bus).isInstanceOf(DefaultTelemetryEventBus.class);
		assertThat(this.bus.listHandlers()).extracting(AttachedHandler::id).contains("checkout-statistics");
	}

	// A checkout over real HTTP reaches the listener through the span's stop event.
	@Test
	void checkoutOverHttpReachesListener() {
		long before = this.statistics.completed();
		ResponseEntity<Map> response = RestClient.create("http://localhost:" + this.port)
			.post()
			.uri("/checkout")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("customerId", "c-1", "items", java.util.List.of(Map.of("sku", "A", "quantity", 2),
					Map.of("sku", "B", "quantity", 1))))
			.retrieve()
			.toEntity(Map.class);
		assertThat(response.getStatusCode().value()).isEqualTo(201);
		assertThat(response.getBody()).containsEntry("status", "CONFIRMED").containsKey("orderId");
		assertThat(this.statistics.completed()).isEqualTo(before + 1);
	}

}
