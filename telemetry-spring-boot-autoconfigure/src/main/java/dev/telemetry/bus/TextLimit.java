package dev.telemetry.bus;

/**
 * Every limit on a text the starter keeps where a caller's text could be of any length, so that a
 * flood of long values cannot grow memory, a span or a log line without bound. Values for machines
 * are cut plainly; texts for people end with {@code ...} when cut. Internal, not an API.
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
public enum TextLimit {

	/** A string span attribute value, a telemetry span's metadata or a baggage tag. */
	SPAN_ATTRIBUTE(256, ""),

	/** A meter tag value taken from metadata. */
	METER_TAG(128, ""),

	/** The exception message of a handler's last failure, in the endpoint. */
	FAILURE_REASON(200, "..."),

	/** The {@code stacktrace} metadata of exception and handler failure events. */
	STACK_TRACE(8192, "..."),

	/** The last span export error, in the endpoint and the log. */
	EXPORT_ERROR(300, "...");

	private final int maxLength;

	private final String mark;

	TextLimit(int maxLength, String mark) {
		this.maxLength = maxLength;
		this.mark = mark;
	}

	/** The text as it is if it fits, else its first characters up to the limit, then the mark. */
	public String cut(CharSequence text) {
		return (text.length() <= this.maxLength) ? text.toString() : text.subSequence(0, this.maxLength) + this.mark;
	}

}
