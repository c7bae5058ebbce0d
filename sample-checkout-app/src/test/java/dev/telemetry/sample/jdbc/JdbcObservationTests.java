package dev.telemetry.sample.jdbc;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.tracing.Tracer;
import net.ttddyy.observation.boot.autoconfigure.DataSourceObservationAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JDBC observation that the starter brings (datasource-micrometer) on the {@link DataSource}
 * that Boot builds: on with nothing set, off with its one property.
 */
class JdbcObservationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class, DataSourceAutoConfiguration.class,
				DataSourceObservationAutoConfiguration.class))
		.withBean(Tracer.class, () -> Tracer.NOOP)
		.withBean(ObservedNames.class);

	// With nothing set, a statement on the application's DataSource is a jdbc.query Observation.
	@Test
	void statementsAreObservedByDefault() {
		this.contextRunner.run((context) -> assertThat(observeOneStatement(context)).contains("jdbc.query"));
	}

	// jdbc.datasource-proxy.enabled=false leaves the DataSource alone: nothing is observed.
	@Test
	void onePropertyTurnsItOff() {
		this.contextRunner.withPropertyValues("jdbc.datasource-proxy.enabled=false")
			.run((context) -> assertThat(observeOneStatement(context)).isEmpty());
	}

	private static List<String> observeOneStatement(AssertableApplicationContext context) {
		assertThat(context).hasNotFailed();
		new JdbcTemplate(context.getBean(DataSource.class)).queryForObject("SELECT 1", Integer.class);
		return context.getBean(ObservedNames.class).names;
	}

	static class ObservedNames implements ObservationHandler<Observation.Context> {

		final List<String> names = new CopyOnWriteArrayList<>();

		@Override
		public boolean supportsContext(Observation.Context context) {
			return true;
		}

		@Override
		public void onStart(Observation.Context context) {
			this.names.add(context.getName());
		}

	}

}
