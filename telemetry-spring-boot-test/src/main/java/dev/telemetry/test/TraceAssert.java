package dev.telemetry.test;

import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.assertj.core.api.AbstractAssert;
import org.jspecify.annotations.Nullable;

/**
 * Assertions on the finished spans of one trace, from {@link RecorderAssert#trace(String)}. Each
 * check reads the spans again when it runs, and waits as long as {@link RecorderAssert#within}
 * allows.
 *
 * @author telemetry-spring-boot
 * @since 0.2.0
 */
public final class TraceAssert extends AbstractAssert<TraceAssert, TelemetryRecorder> {

	private final String traceId;

	private final Patience patience;

	TraceAssert(TelemetryRecorder recorder, String traceId, Patience patience) {
		super(recorder, TraceAssert.class);
		this.traceId = traceId;
		this.patience = patience;
	}

	/**
	 * Check that the trace has finished spans with all these names. For a name that is missing,
	 * the failure says where a span with that name went: another trace (and the thread it started
	 * on), or still open.
	 * @param names span names, e.g. {@code shop.checkout} or {@code http get /orders/{id}}
	 * @return this
	 */
	public TraceAssert containsSpans(String... names) {
		return check((spans) -> {
			Set<String> present = spans.stream().map(RecordedSpan::name).collect(Collectors.toSet());
			List<String> missing = List.of(names).stream().filter((name) -> !present.contains(name)).toList();
			if (missing.isEmpty()) {
				return null;
			}
			StringBuilder message = new StringBuilder("Expected trace " + this.traceId + " to contain the spans "
					+ List.of(names) + ", but " + quoted(missing) + " " + ((missing.size() == 1) ? "is" : "are")
					+ " missing.\nIts spans:" + list(spans));
			for (String name : missing) {
				message.append(whereIs(name));
			}
			return message.toString();
		});
	}

	/**
	 * Check that the trace is unbroken: the parent of every span is a span of the trace, but for
	 * the root, or a remote parent (a caller in another process). The failure names each span
	 * whose parent is missing, the thread it ran on, and what is known of the parent.
	 * @return this
	 */
	public TraceAssert isUnbroken() {
		return check((spans) -> {
			Set<String> ids = spans.stream().map(RecordedSpan::spanId).collect(Collectors.toSet());
			List<RecordedSpan> orphans = spans.stream()
				.filter((span) -> span.parentSpanId() != null && !ids.contains(span.parentSpanId())
						&& !this.actual.hasRemoteParent(span))
				.toList();
			if (orphans.isEmpty()) {
				return null;
			}
			StringBuilder message = new StringBuilder("Expected trace " + this.traceId + " to be unbroken, but "
					+ orphans.size() + " of its " + spans.size() + " spans " + ((orphans.size() == 1) ? "has" : "have")
					+ " a parent that is not in it:");
			for (RecordedSpan orphan : orphans) {
				message.append("\n  '")
					.append(orphan.name())
					.append("' (span ")
					.append(orphan.spanId())
					.append(") ran on thread '")
					.append(orphan.thread())
					.append("'; its parent ")
					.append(orphan.parentSpanId())
					.append(' ')
					.append(parent(orphan.parentSpanId()));
			}
			return message.append("\nIts spans:").append(list(spans)).toString();
		});
	}

	private String parent(@Nullable String spanId) {
		for (RecordedSpan open : this.actual.openSpans()) {
			if (open.spanId().equals(spanId)) {
				return "is '" + open.name() + "', started on thread '" + open.thread()
						+ "' and not ended: end every span you start (in a finally block)";
			}
		}
		return "was never recorded: it did not end while recorded, was not sampled, or was started by another "
				+ "tracer than the application's";
	}

	private String whereIs(String name) {
		for (RecordedSpan open : this.actual.openSpans()) {
			if (open.name().equals(name) && open.traceId().equals(this.traceId)) {
				return "\n'" + name + "' was started in this trace on thread '" + open.thread() + "' and has not ended.";
			}
		}
		List<RecordedSpan> elsewhere = this.actual.spans().stream().filter((span) -> span.name().equals(name)).toList();
		if (elsewhere.isEmpty()) {
			return "\nNo span '" + name + "' was recorded in any trace.";
		}
		RecordedSpan other = elsewhere.get(0);
		String where = "\n'" + name + "' was recorded in trace " + other.traceId() + " instead";
		if (other.parentSpanId() == null) {
			return where + ", as the root of a new trace, on thread '" + other.thread() + "': the trace context did "
					+ "not reach that thread (an executor that does not propagate context, or a message without trace "
					+ "headers?)";
		}
		return where + ", on thread '" + other.thread() + "'.";
	}

	private TraceAssert check(Function<List<RecordedSpan>, @Nullable String> problem) {
		isNotNull();
		String message = this.patience.await(() -> {
			List<RecordedSpan> spans = this.actual.spans()
				.stream()
				.filter((span) -> span.traceId().equals(this.traceId))
				.toList();
			return spans.isEmpty() ? noSpans() : problem.apply(spans);
		});
		if (message != null) {
			failWithMessage("%s", message);
		}
		return this;
	}

	private String noSpans() {
		if (!this.actual.recordsSpans()) {
			return "No span was recorded: only the TelemetryRecorder bean of a Spring test context with Spring Boot's "
					+ "OpenTelemetry tracing records spans; TelemetryRecorder.attach(...) records events only";
		}
		List<String> traces = this.actual.spans().stream().map(RecordedSpan::traceId).distinct().toList();
		return "Expected spans in trace " + this.traceId + ", but none of the " + this.actual.spans().size()
				+ " recorded spans is in it" + (traces.isEmpty() ? "" : "; recorded traces: " + traces);
	}

	private static String list(List<RecordedSpan> spans) {
		return spans.stream().map((span) -> "\n  " + span).collect(Collectors.joining());
	}

	private static String quoted(List<String> names) {
		return names.stream().map((name) -> "'" + name + "'").collect(Collectors.joining(", "));
	}

}
