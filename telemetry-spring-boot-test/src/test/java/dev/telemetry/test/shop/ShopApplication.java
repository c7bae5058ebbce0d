package dev.telemetry.test.shop;

import dev.telemetry.TelemetryEvent;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

/**
 * A small shop as users write one: a {@code @TelemetryEvent} checkout that asks a stock service
 * (this same application) over real HTTP and hands fulfilment to an {@code @Async} task. Beside
 * the checkout under test, two copies of it with the regressions that the kit must catch: the
 * annotation dropped, a metadata key renamed.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableAsync
@Import({ ShopApplication.StockController.class, ShopApplication.Stock.class, ShopApplication.Fulfilment.class,
		ShopApplication.CheckoutService.class, ShopApplication.UnannotatedCheckoutService.class,
		ShopApplication.RenamedKeyCheckoutService.class })
class ShopApplication {

	/**
	 * A checkout: how many of the item are in stock.
	 */
	interface Checkout {

		int checkout(String customerId, String sku);

	}

	@RestController
	static class StockController {

		@GetMapping("/stock/{sku}")
		int stock(@PathVariable String sku) {
			return 3;
		}

	}

	@Component
	static class Stock {

		private final RestClient client;

		private final Environment environment;

		Stock(RestClient.Builder builder, Environment environment) {
			this.client = builder.build();
			this.environment = environment;
		}

		int available(String sku) {
			return this.client.get()
				.uri("http://localhost:{port}/stock/{sku}", this.environment.getRequiredProperty("local.server.port"), sku)
				.retrieve()
				.body(Integer.class);
		}

	}

	@Component
	static class Fulfilment {

		@Async
		@TelemetryEvent(value = "shop.fulfil", metadata = "sku=#sku")
		public void fulfil(String sku) {
		}

	}

	/**
	 * What every copy of the checkout does: ask the stock over HTTP, hand fulfilment to an
	 * {@code @Async} task. The copies differ only in their annotation.
	 */
	abstract static class ShopCheckout implements Checkout {

		private final Stock stock;

		private final Fulfilment fulfilment;

		ShopCheckout(Stock stock, Fulfilment fulfilment) {
			this.stock = stock;
			this.fulfilment = fulfilment;
		}

		int placeOrder(String sku) {
			int available = this.stock.available(sku);
			this.fulfilment.fulfil(sku);
			return available;
		}

	}

	/**
	 * The checkout under test.
	 */
	@Component
	static class CheckoutService extends ShopCheckout {

		CheckoutService(Stock stock, Fulfilment fulfilment) {
			super(stock, fulfilment);
		}

		@Override
		@TelemetryEvent(value = "shop.checkout", metadata = "customer_id=#customerId", measurements = "in_stock=#result")
		public int checkout(String customerId, String sku) {
			return placeOrder(sku);
		}

	}

	/**
	 * The same checkout after a refactoring dropped the annotation.
	 */
	@Component
	static class UnannotatedCheckoutService extends ShopCheckout {

		UnannotatedCheckoutService(Stock stock, Fulfilment fulfilment) {
			super(stock, fulfilment);
		}

		@Override
		public int checkout(String customerId, String sku) {
			return placeOrder(sku);
		}

	}

	/**
	 * The same checkout with its metadata key renamed, which the dashboards do not know.
	 */
	@Component
	static class RenamedKeyCheckoutService extends ShopCheckout {

		RenamedKeyCheckoutService(Stock stock, Fulfilment fulfilment) {
			super(stock, fulfilment);
		}

		@Override
		@TelemetryEvent(value = "shop.checkout", metadata = "customer=#customerId", measurements = "in_stock=#result")
		public int checkout(String customerId, String sku) {
			return placeOrder(sku);
		}

	}

}
