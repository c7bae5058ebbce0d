package dev.telemetry.actuate;

import dev.telemetry.autoconfigure.TelemetryAutoConfiguration;
import dev.telemetry.autoconfigure.TelemetryEndpointAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.actuate.web.WebMvcEndpointManagementContextConfiguration;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers.springSecurity;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The live page is served exactly as the endpoint is: behind Spring Security when the actuator
 * is, and not at all when the endpoint is not exposed.
 */
class TelemetryPageSecurityTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(
				HttpMessageConvertersAutoConfiguration.class, DispatcherServletAutoConfiguration.class,
				WebMvcAutoConfiguration.class, EndpointAutoConfiguration.class, WebEndpointAutoConfiguration.class,
				WebMvcEndpointManagementContextConfiguration.class, TelemetryAutoConfiguration.class,
				TelemetryEndpointAutoConfiguration.class))
		.withPropertyValues("management.endpoints.web.exposure.include=telemetry");

	@Test
	void pageAndJsonForTheirClientsWhenExposed() {
		this.contextRunner.run((context) -> {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup((WebApplicationContext) context).build();
			mvc.perform(get("/actuator/telemetry").accept(MediaType.TEXT_HTML, MediaType.ALL))
				.andExpect(status().isOk())
				.andExpect(content().contentTypeCompatibleWith(MediaType.TEXT_HTML));
			mvc.perform(get("/actuator/telemetry").accept(MediaType.APPLICATION_JSON))
				.andExpect(status().isOk())
				.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON));
		});
	}

	@Test
	void notFoundWhenTheEndpointIsNotExposed() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=health").run((context) -> {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup((WebApplicationContext) context).build();
			mvc.perform(get("/actuator/telemetry").accept(MediaType.TEXT_HTML)).andExpect(status().isNotFound());
		});
	}

	@Test
	void behindSpringSecurityWhenTheActuatorIs() {
		this.contextRunner
			.withConfiguration(AutoConfigurations.of(SecurityAutoConfiguration.class,
					UserDetailsServiceAutoConfiguration.class, ServletWebSecurityAutoConfiguration.class,
					ManagementWebSecurityAutoConfiguration.class))
			.withPropertyValues("spring.security.user.name=ops", "spring.security.user.password=secret")
			.run((context) -> {
				MockMvc mvc = MockMvcBuilders.webAppContextSetup((WebApplicationContext) context)
					.apply(springSecurity())
					.build();
				// A browser is sent to the login page, any other client refused.
				mvc.perform(get("/actuator/telemetry").accept(MediaType.TEXT_HTML))
					.andExpect(status().is3xxRedirection())
					.andExpect(redirectedUrl("/login"));
				mvc.perform(get("/actuator/telemetry").accept(MediaType.APPLICATION_JSON))
					.andExpect(status().isUnauthorized());
				mvc.perform(get("/actuator/telemetry").accept(MediaType.TEXT_HTML).with(httpBasic("ops", "secret")))
					.andExpect(status().isOk())
					.andExpect(content().contentTypeCompatibleWith(MediaType.TEXT_HTML));
			});
	}

}
