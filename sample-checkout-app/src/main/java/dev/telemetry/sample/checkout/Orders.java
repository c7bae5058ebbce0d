package dev.telemetry.sample.checkout;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Orders in the database, with Spring's {@link JdbcClient}. Nothing here is instrumented: every
 * statement is a {@code jdbc.query} span of the operation that runs it, from the starter's JDBC
 * observation.
 *
 * @author telemetry-spring-boot
 */
@Component
public class Orders {

	private static final int BATCH = 100;

	private static final String COLUMNS = "id AS order_id, customer_id, total, item_count, payment_reference";

	private final JdbcClient jdbc;

	Orders(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Store a confirmed order, not notified yet.
	 * @param order the order
	 */
	void save(Order order) {
		this.jdbc.sql("""
				INSERT INTO orders (id, customer_id, total, item_count, payment_reference, status, created_at)
				VALUES (:id, :customer, :total, :items, :reference, 'CONFIRMED', :created)""")
			.param("id", order.orderId())
			.param("customer", order.customerId())
			.param("total", order.total())
			.param("items", order.itemCount())
			.param("reference", order.paymentReference())
			.param("created", Timestamp.from(Instant.now()))
			.update();
	}

	/**
	 * Mark an order notified, once.
	 * @param orderId the order
	 * @return whether this call marked it: {@code false} for an unknown order or one already
	 * notified (a redelivered message, or a retry that crossed the first delivery)
	 */
	boolean markNotified(String orderId) {
		return this.jdbc.sql("UPDATE orders SET status = 'NOTIFIED' WHERE id = :id AND status = 'CONFIRMED'")
			.param("id", orderId)
			.update() == 1;
	}

	/**
	 * Find an order.
	 * @param orderId the order
	 * @return the order, if it is stored
	 */
	Optional<Order> find(String orderId) {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM orders WHERE id = :id")
			.param("id", orderId)
			.query(Order.class)
			.optional();
	}

	/**
	 * The orders still not notified that were confirmed before a time, oldest first, at most
	 * {@value #BATCH}.
	 * @param before the time
	 * @return the orders
	 */
	List<Order> notNotifiedBefore(Instant before) {
		return this.jdbc.sql("SELECT " + COLUMNS
				+ " FROM orders WHERE status = 'CONFIRMED' AND created_at < :before ORDER BY created_at")
			.param("before", Timestamp.from(before))
			.withMaxRows(BATCH)
			.query(Order.class)
			.list();
	}

}
