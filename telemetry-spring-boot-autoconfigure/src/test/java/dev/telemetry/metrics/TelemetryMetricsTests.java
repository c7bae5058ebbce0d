package dev.telemetry.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.telemetry.AttachedHandler;
import dev.telemetry.EventName;
import dev.telemetry.Redaction;
import dev.telemetry.bus.DefaultTelemetryEventBus;
import dev.telemetry.metrics.MetricDefinition.Type;
import dev.telemetry.metrics.MetricDefinition.Unit;
import dev.telemetry.metrics.MetricStatisticsSource.MetricStatistics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.within;

@ExtendWith(OutputCaptureExtension.class)
class TelemetryMetricsTests {

	private static final EventName STOP = EventName.parse("shop.checkout.stop");

	private final DefaultTelemetryEventBus bus = new DefaultTelemetryEventBus();

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final Map<String, MetricDefinition> definitions = new LinkedHashMap<>();

	private TelemetryMetrics metrics;

	@AfterEach
	void close() {
		if (this.metrics != null) {
			this.metrics.destroy();
		}
	}

	private void define(String name, Type type, String measurement, Unit unit, List<String> tags,
			Integer maxSeries) {
		this.definitions.put(name,
				new MetricDefinition(STOP.toString(), measurement, type, unit, tags, "a description", maxSeries));
	}

	private void start() {
		this.metrics = new TelemetryMetrics(this.bus, this.registry, this.definitions, 100, Redaction.defaults());
		this.metrics.afterPropertiesSet();
	}

	private void emit(long duration, Map<String, ?> metadata) {
		this.bus.execute(STOP, Map.of("duration", duration, "bytes", 512), metadata);
	}

	// A counter counts events, one series per tag set.
	@Test
	void counterCountsEventsPerTagSet() {
		define("orders", Type.COUNTER, null, Unit.NONE, List.of("outcome"), null);
		start();
		emit(1, Map.of("outcome", "ok"));
		emit(1, Map.of("outcome", "ok"));
		emit(1, Map.of("outcome", "declined"));
		assertThat(this.registry.get("orders").tag("outcome", "ok").counter().count()).isEqualTo(2);
		assertThat(this.registry.get("orders").tag("outcome", "declined").counter().count()).isEqualTo(1);
		assertThat(this.registry.get("orders").counter().getId().getDescription()).isEqualTo("a description");
	}

	// A sum adds up a measurement; in a time unit it adds seconds.
	@Test
	void sumAddsMeasurement() {
		define("bytes.total", Type.SUM, "bytes", Unit.BYTES, List.of(), null);
		define("time.total", Type.SUM, "duration", Unit.MILLISECONDS, List.of(), null);
		start();
		emit(1500, Map.of());
		emit(500, Map.of());
		Counter bytes = this.registry.get("bytes.total").counter();
		assertThat(bytes.count()).isEqualTo(1024);
		assertThat(bytes.getId().getBaseUnit()).isEqualTo("bytes");
		assertThat(this.registry.get("time.total").counter().count()).isEqualTo(2.0);
	}

	// A last value keeps the latest measurement.
	@Test
	void lastValueKeepsLatest() {
		define("queue.depth", Type.LAST_VALUE, "duration", Unit.NONE, List.of(), null);
		start();
		emit(7, Map.of());
		emit(3, Map.of());
		Gauge gauge = this.registry.get("queue.depth").gauge();
		assertThat(gauge.value()).isEqualTo(3);
	}

	// A summary of a non-time unit is a distribution summary with count, total and max.
	@Test
	void summaryOfBytes() {
		define("payload", Type.SUMMARY, "bytes", Unit.BYTES, List.of(), null);
		start();
		emit(1, Map.of());
		emit(1, Map.of());
		DistributionSummary summary = this.registry.get("payload").summary();
		assertThat(summary.count()).isEqualTo(2);
		assertThat(summary.totalAmount()).isEqualTo(1024);
		assertThat(summary.max()).isEqualTo(512);
	}

	// A distribution of nanoseconds is a timer, in seconds, that asks for histogram buckets; a summary does not.
	@Test
	void distributionOfNanosecondsIsTimerWithHistogram() {
		Map<String, DistributionStatisticConfig> requested = new java.util.concurrent.ConcurrentHashMap<>();
		this.registry.config().meterFilter(new MeterFilter() {
			@Override
			public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
				requested.put(id.getName(), config);
				return config;
			}
		});
		define("checkout.duration", Type.DISTRIBUTION, "duration", Unit.NANOSECONDS, List.of(), null);
		define("checkout.summary", Type.SUMMARY, "duration", Unit.NANOSECONDS, List.of(), null);
		start();
		emit(TimeUnit.MILLISECONDS.toNanos(40), Map.of());
		emit(TimeUnit.MILLISECONDS.toNanos(250), Map.of());
		Timer timer = this.registry.get("checkout.duration").timer();
		assertThat(timer.count()).isEqualTo(2);
		assertThat(timer.totalTime(TimeUnit.MILLISECONDS)).isCloseTo(290, within(0.001));
		assertThat(timer.max(TimeUnit.MILLISECONDS)).isCloseTo(250, within(0.001));
		assertThat(requested.get("checkout.duration").isPercentileHistogram()).isTrue();
		assertThat(requested.get("checkout.summary").isPercentileHistogram()).isFalse();
	}

	// Percentiles and SLO buckets come from a MeterFilter keyed by meter name, as Boot's
	// management.metrics.distribution.* installs one: the metric's own settings do not override it.
	@Test
	void distributionSettingsComeFromMeterFilters() {
		this.registry.config().meterFilter(new MeterFilter() {
			@Override
			public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
				return id.getName().startsWith("checkout.duration") ? DistributionStatisticConfig.builder()
					.percentiles(0.5, 0.99)
					.serviceLevelObjectives(Duration.ofMillis(100).toNanos())
					.build()
					.merge(config) : config;
			}
		});
		define("checkout.duration", Type.DISTRIBUTION, "duration", Unit.NANOSECONDS, List.of(), null);
		start();
		emit(TimeUnit.MILLISECONDS.toNanos(40), Map.of());
		Timer timer = this.registry.get("checkout.duration").timer();
		assertThat(timer.takeSnapshot().percentileValues()).hasSize(2);
		assertThat(timer.takeSnapshot().histogramCounts())
			.anySatisfy((bucket) -> assertThat(bucket.bucket(TimeUnit.MILLISECONDS)).isEqualTo(100));
	}

	// Statistics for the endpoint: name, event, type as written, series in use, cap, overflow and skipped.
	@Test
	void statisticsDescribeEachMetric() {
		define("orders", Type.LAST_VALUE, "bytes", Unit.BYTES, List.of("outcome"), 2);
		define("weights", Type.SUMMARY, "weight", Unit.NONE, List.of(), null);
		start();
		emit(1, Map.of("outcome", "ok"));
		emit(1, Map.of("outcome", "declined"));
		emit(1, Map.of("outcome", "failed"));
		assertThat(this.metrics.statistics()).containsExactly(
				new MetricStatistics("orders", "shop.checkout.stop", "last-value", 3, 2, 1, 0, 512.0),
				new MetricStatistics("weights", "shop.checkout.stop", "summary", 0, 100, 0, 3, null));
	}

	// The value for the endpoint's page: a counter's count, a sum's total, a summary's mean, over all series.
	@Test
	void statisticsCarryEachMetricsCurrentValue() {
		define("orders", Type.COUNTER, null, Unit.NONE, List.of("outcome"), null);
		define("bytes", Type.SUM, "bytes", Unit.BYTES, List.of(), null);
		define("latency", Type.SUMMARY, "duration", Unit.NONE, List.of("outcome"), null);
		start();
		emit(10, Map.of("outcome", "ok"));
		emit(30, Map.of("outcome", "declined"));
		assertThat(this.metrics.statistics()).extracting(MetricStatistics::value).containsExactly(2.0, 1024.0, 20.0);
	}

	// All metrics of one event share one handler.
	@Test
	void oneHandlerPerEvent() {
		define("a", Type.COUNTER, null, Unit.NONE, List.of(), null);
		define("b", Type.SUM, "bytes", Unit.NONE, List.of(), null);
		start();
		assertThat(this.bus.listHandlers()).extracting(AttachedHandler::id).containsExactly("telemetry.metrics:" + STOP);
		emit(1, Map.of());
		assertThat(this.registry.get("a").counter().count()).isEqualTo(1);
		assertThat(this.registry.get("b").counter().count()).isEqualTo(512);
	}

	// A missing tag is recorded as 'none'; a missing measurement records nothing and is counted as skipped.
	@Test
	void missingTagAndMeasurement() {
		define("orders", Type.COUNTER, null, Unit.NONE, List.of("outcome"), null);
		define("weights", Type.SUMMARY, "weight", Unit.NONE, List.of(), null);
		start();
		assertThatNoException().isThrownBy(() -> emit(1, Map.of()));
		assertThat(this.registry.get("orders").tag("outcome", "none").counter().count()).isEqualTo(1);
		assertThat(this.registry.find("weights").meter()).isNull();
		assertThat(this.metrics.statistics()).filteredOn((s) -> s.name().equals("weights"))
			.singleElement()
			.satisfies((s) -> assertThat(s.skipped()).isEqualTo(1));
	}

	// Meters are created once per tag set, however many events arrive.
	@Test
	void metersAreCreatedOncePerTagSet() {
		define("orders", Type.COUNTER, null, Unit.NONE, List.of("outcome"), null);
		start();
		for (int i = 0; i < 1000; i++) {
			emit(1, Map.of("outcome", (i % 2 == 0) ? "ok" : "declined"));
		}
		assertThat(this.registry.getMeters()).hasSize(2);
	}

	// Past max-series tag sets, values collapse to OTHER, the overflow is counted and one WARN names the metric and the tag.
	@Test
	void cardinalityGuard(CapturedOutput output) {
		define("orders.by.customer", Type.COUNTER, null, Unit.NONE, List.of("customer_id", "outcome"), 3);
		start();
		for (int i = 0; i < 500; i++) {
			emit(1, Map.of("customer_id", "c-" + i, "outcome", "ok"));
		}
		assertThat(this.registry.find("orders.by.customer").counters()).hasSize(4);
		assertThat(this.registry.get("orders.by.customer").tag("customer_id", "OTHER").tag("outcome", "OTHER").counter().count())
			.isEqualTo(497);
		assertThat(this.metrics.statistics()).singleElement().satisfies((s) -> {
			assertThat(s.seriesInUse()).isEqualTo(4);
			assertThat(s.overflow()).isEqualTo(497);
		});
		assertThat(output.getOut().lines().filter((line) -> line.contains("reached its limit"))).singleElement()
			.asString()
			.contains("'orders.by.customer'")
			.contains("'customer_id'");
	}

	// Threads that cross max-series together lose no record: each lands in its own series or in OTHER, and
	// OTHER holds exactly the overflow, with one WARN.
	@Test
	void cardinalityGuardUnderConcurrentFlood(CapturedOutput output) throws Exception {
		define("orders.by.customer", Type.COUNTER, null, Unit.NONE, List.of("customer_id"), 50);
		start();
		int threads = 4;
		int perThread = 5_000;
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		CountDownLatch go = new CountDownLatch(1);
		List<Future<?>> done = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			int thread = t;
			done.add(pool.submit(() -> {
				go.await();
				for (int i = 0; i < perThread; i++) {
					emit(1, Map.of("customer_id", "c-" + ((i % 2 == 0) ? i : thread + "-" + i)));
				}
				return null;
			}));
		}
		go.countDown();
		for (Future<?> each : done) {
			each.get(60, TimeUnit.SECONDS);
		}
		pool.shutdown();
		double total = this.registry.find("orders.by.customer").counters().stream().mapToDouble(Counter::count).sum();
		double other = this.registry.get("orders.by.customer").tag("customer_id", "OTHER").counter().count();
		assertThat(total).isEqualTo(threads * perThread);
		// A tag set with a series of its own has all its records there: every thread's, or its one thread's.
		assertThat(this.registry.find("orders.by.customer").counters()).allSatisfy((counter) -> {
			String customer = counter.getId().getTag("customer_id");
			if (!"OTHER".equals(customer)) {
				assertThat(counter.count()).as(customer).isEqualTo((customer.indexOf('-', 2) >= 0) ? 1 : threads);
			}
		});
		assertThat(this.metrics.statistics()).singleElement().satisfies((s) -> {
			assertThat(s.seriesInUse()).isEqualTo(51);
			assertThat(s.overflow()).isEqualTo((long) other);
		});
		assertThat(output.getOut().lines().filter((line) -> line.contains("reached its limit"))).hasSize(1);
	}

	// A tag whose key is sensitive never carries the value.
	@Test
	void sensitiveTagIsRedacted() {
		define("charges", Type.COUNTER, null, Unit.NONE, List.of("payment_token"), null);
		start();
		emit(1, Map.of("payment_token", "tok_4242"));
		assertThat(this.registry.get("charges").tag("payment_token", Redaction.REDACTED).counter().count()).isEqualTo(1);
	}

}
