-- Run at start-up by Boot (spring.sql.init), on H2, PostgreSQL and MySQL alike: portable SQL only.
CREATE TABLE IF NOT EXISTS orders (
	id VARCHAR(36) NOT NULL PRIMARY KEY,
	customer_id VARCHAR(100) NOT NULL,
	total DECIMAL(12, 2) NOT NULL,
	item_count INT NOT NULL,
	payment_reference VARCHAR(100) NOT NULL,
	status VARCHAR(20) NOT NULL,
	created_at TIMESTAMP NOT NULL
);
