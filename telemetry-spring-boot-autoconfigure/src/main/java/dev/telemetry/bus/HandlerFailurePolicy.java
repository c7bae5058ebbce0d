package dev.telemetry.bus;

/**
 * What the bus does with a handler that throws; either way the caller never sees the exception and
 * a {@code telemetry.handler.failure} event is emitted.
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
public enum HandlerFailurePolicy {

	/** Detach the handler from all its events and log one ERROR, as {@code :telemetry} does. */
	DETACH,

	/** Keep the handler attached; count its failures and log them at a bounded rate. */
	KEEP

}
