package dev.telemetry;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

/**
 * Thrown at start-up when a {@link TelemetryEvent @TelemetryEvent} or
 * {@link TelemetryListener @TelemetryListener} annotation, or a metric under
 * {@code telemetry.metrics}, cannot work. One shape: where (a bean and its method, or a property),
 * what (an attribute and its value), why, and how to fix it. A check that finds several problems
 * throws the first with the others {@linkplain #addSuppressed(Throwable) suppressed}; the report
 * Spring Boot prints shows them all.
 *
 * @author telemetry-spring-boot
 * @since 0.1.0
 */
public class InvalidTelemetryDeclarationException extends RuntimeException {

	private static final Pattern PACKAGES = Pattern.compile("\\b(?:[a-z_][\\w]*\\.)+");

	private final Problem problem;

	/**
	 * Create an exception from what is declared where ({@code @TelemetryEvent on Checkout.place()}),
	 * what locates it by label (a {@link Method}, a {@link Class} or a text), the attribute that is
	 * wrong ({@code metadata}) and its value as written, why it is wrong and how to fix it.
	 */
	public InvalidTelemetryDeclarationException(String declaration, Map<String, ?> where, String attribute,
			String value, String reason, String action) {
		this(new Problem(declaration, new LinkedHashMap<>(where), attribute, value, -1, reason, action), null);
	}

	private InvalidTelemetryDeclarationException(Problem problem, @Nullable Throwable cause) {
		super(cause);
		this.problem = problem;
	}

	/** The same problem, naming the bean that declares it. */
	public InvalidTelemetryDeclarationException inBean(String beanName) {
		Problem problem = this.problem;
		Map<String, Object> where = new LinkedHashMap<>();
		where.put("Bean", "'" + beanName + "'");
		where.putAll(problem.where);
		return new InvalidTelemetryDeclarationException(new Problem(problem.declaration + " of bean '" + beanName + "'",
				where, problem.attribute, problem.value, problem.position, problem.reason, problem.action), getCause());
	}

	/**
	 * The same problem, pointing with a caret at the index in the value where a parser gave up,
	 * with what the parser threw as the cause.
	 */
	public InvalidTelemetryDeclarationException at(int position, Throwable cause) {
		Problem problem = this.problem;
		return new InvalidTelemetryDeclarationException(new Problem(problem.declaration, problem.where,
				problem.attribute, problem.value, position, problem.reason, problem.action), cause);
	}

	/** What is wrong, where and why: this problem and those it suppressed, a paragraph each. */
	public String getDescription() {
		StringBuilder description = new StringBuilder();
		for (Problem problem : problems().toList()) {
			description.append(description.isEmpty() ? "" : "\n\n").append(problem.declaration).append(" is not valid:\n");
			problem.where.forEach((label, location) -> line(description, label, describe(location)));
			line(description, "Attribute", problem.attribute + " = \"" + problem.value + "\"");
			line(description, "Reason", problem.reason);
			if (problem.position >= 0) {
				description.append("\n\n        ").append(problem.value).append("\n        ")
					.append(" ".repeat(problem.position)).append('^');
			}
		}
		return description.toString();
	}

	/** How to fix this problem and those it suppressed. */
	public String getAction() {
		return problems().map(Problem::action).collect(Collectors.joining("\n\n"));
	}

	@Override
	public String getMessage() {
		return getDescription() + "\n\n" + getAction();
	}

	/**
	 * The parameter types of a method as its source reads them, without packages, such as
	 * {@code (EventName, Map<String, Number>)}.
	 */
	public static String parameters(Method method) {
		return Arrays.stream(method.getGenericParameterTypes())
			.map((type) -> PACKAGES.matcher(type.getTypeName()).replaceAll(""))
			.collect(Collectors.joining(", ", "(", ")"));
	}

	private Stream<Problem> problems() {
		return Stream.concat(Stream.of(this), Arrays.stream(getSuppressed())
			.filter(InvalidTelemetryDeclarationException.class::isInstance)
			.map(InvalidTelemetryDeclarationException.class::cast))
			.map((exception) -> exception.problem);
	}

	private static String describe(Object location) {
		if (location instanceof Method method) {
			return method.getDeclaringClass().getName() + "." + method.getName() + parameters(method);
		}
		return (location instanceof Class<?> type) ? type.getName() : location.toString();
	}

	private static void line(StringBuilder description, String label, String text) {
		description.append("\n    ").append(label).append(':').append(" ".repeat(10 - label.length())).append(text);
	}

	private record Problem(String declaration, Map<String, Object> where, String attribute, String value, int position,
			String reason, String action) {
	}

}
