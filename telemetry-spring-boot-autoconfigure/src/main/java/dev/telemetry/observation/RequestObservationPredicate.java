package dev.telemetry.observation;

import java.util.Locale;
import java.util.Set;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationPredicate;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Leaves HTTP requests for actuator endpoints and static resources unobserved: no trace, no
 * {@code http.server.requests} timer, no event. At sampling 1.0 they would otherwise make a
 * trace each, for every health probe, scrape and stylesheet. Under Spring MVC, so are the
 * Observations made while serving them (Spring Security's, a health check's query).
 *
 * @author telemetry-spring-boot
 * @since 0.2.0
 */
public final class RequestObservationPredicate implements ObservationPredicate {

	private static final Set<String> STATIC_EXTENSIONS = Set.of("css", "js", "mjs", "map", "ico", "png", "jpg",
			"jpeg", "gif", "svg", "webp", "avif", "woff", "woff2", "ttf", "eot");

	private static final boolean SERVLET = ClassUtils.isPresent("jakarta.servlet.http.HttpServletRequest",
			RequestObservationPredicate.class.getClassLoader());

	private final @Nullable String actuatorPrefix;

	private final boolean skipStaticResources;

	/**
	 * Create a predicate for Spring MVC's and WebFlux's server request observations.
	 * @param actuatorBasePath where actuator endpoints are ({@code /actuator}), or {@code null}
	 * to observe them
	 * @param skipStaticResources whether to leave static resources unobserved
	 */
	public RequestObservationPredicate(@Nullable String actuatorBasePath, boolean skipStaticResources) {
		// Without its trailing '/', as Spring Boot reads it; at the root, actuator paths cannot be told apart.
		String prefix = (actuatorBasePath != null) ? StringUtils.trimTrailingCharacter(actuatorBasePath, '/') : "";
		this.actuatorPrefix = prefix.isEmpty() ? null : prefix;
		this.skipStaticResources = skipStaticResources;
	}

	@Override
	public boolean test(String name, Observation.Context context) {
		String path;
		if (SERVLET && context instanceof ServerRequestObservationContext servlet) {
			path = ServletRequests.path(servlet.getCarrier());
		}
		else if (context instanceof org.springframework.http.server.reactive.observation.ServerRequestObservationContext reactive) {
			path = reactive.getCarrier().getPath().pathWithinApplication().value();
		}
		else if (SERVLET && context.getParentObservation() instanceof Observation parent && parent.isNoop()) {
			// Made while serving a request left unobserved (Spring Security's filter chain, a health check's
			// query): with no parent it would start a trace of its own.
			path = ServletRequests.currentPath();
			if (path == null) {
				return true;
			}
		}
		else {
			return true;
		}
		if (this.actuatorPrefix != null && path.startsWith(this.actuatorPrefix)
				&& (path.length() == this.actuatorPrefix.length() || path.charAt(this.actuatorPrefix.length()) == '/')) {
			return false;
		}
		return !this.skipStaticResources || !isStaticResource(path);
	}

	/** Names the Servlet API, so that the predicate loads without it. */
	private static final class ServletRequests {

		static String path(HttpServletRequest request) {
			return request.getRequestURI().substring(request.getContextPath().length());
		}

		static @Nullable String currentPath() {
			return (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes)
					? path(attributes.getRequest()) : null;
		}

	}

	private static boolean isStaticResource(String path) {
		String extension = StringUtils.getFilenameExtension(path);
		return path.startsWith("/webjars/")
				|| (extension != null && STATIC_EXTENSIONS.contains(extension.toLowerCase(Locale.ROOT)));
	}

}
