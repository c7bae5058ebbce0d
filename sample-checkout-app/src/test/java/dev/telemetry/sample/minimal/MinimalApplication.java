package dev.telemetry.sample.minimal;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.telemetry.EventName;
import dev.telemetry.TelemetryEvent;
import dev.telemetry.TelemetryListener;
import dev.telemetry.TraceContextCarrier;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

/**
 * A brand-new application that uses nothing but the starter: one annotated service that calls
 * another service over HTTP, starts an {@code @Async} task, returns a CompletableFuture and
 * hands a message to a worker thread.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableAsync
@Import({ MinimalApplication.GreetingController.class, MinimalApplication.GreetingService.class,
		MinimalApplication.AsyncWorker.class, MinimalApplication.Mailbox.class, MinimalApplication.Events.class })
class MinimalApplication {

	@RestController
	static class GreetingController {

		private final GreetingService service;

		GreetingController(GreetingService service) {
			this.service = service;
		}

		@GetMapping("/greet/{name}")
		String greet(@PathVariable String name) {
			return this.service.greet(name);
		}

		@GetMapping("/downstream")
		String downstream() {
			return "downstream-ok";
		}

		@GetMapping("/future")
		String future() throws Exception {
			return this.service.later().get();
		}

	}

	@Component
	static class GreetingService {

		private final RestClient restClient;

		private final Environment environment;

		private final AsyncWorker worker;

		private final Mailbox mailbox;

		GreetingService(RestClient.Builder builder, Environment environment, AsyncWorker worker, Mailbox mailbox) {
			this.restClient = builder.build();
			this.environment = environment;
			this.worker = worker;
			this.mailbox = mailbox;
		}

		@TelemetryEvent(value = "x.y", metadata = "name=#name")
		public String greet(String name) {
			if (name.startsWith("boom")) {
				throw new IllegalArgumentException("cannot greet " + name);
			}
			String downstream = this.restClient.get()
				.uri("http://localhost:" + this.environment.getProperty("local.server.port") + "/downstream")
				.retrieve()
				.body(String.class);
			this.worker.work(name);
			this.mailbox.send(name);
			return "hello " + name + " " + downstream;
		}

		@TelemetryEvent("x.future")
		public CompletableFuture<String> later() {
			return CompletableFuture.supplyAsync(() -> "later");
		}

	}

	@Component
	static class AsyncWorker {

		private static final Log logger = LogFactory.getLog(AsyncWorker.class);

		private volatile Thread lastThread;

		@Async
		@TelemetryEvent(value = "x.async", metadata = "name=#name")
		public void work(String name) {
			this.lastThread = Thread.currentThread();
			logger.info("async work for " + name);
		}

		/**
		 * The thread of the last task, read through the proxy.
		 */
		public Thread lastThread() {
			return this.lastThread;
		}

	}

	/**
	 * A message hand-off through an in-memory queue to a worker thread that no bean manages: the
	 * trace crosses it only through the headers.
	 */
	@Component
	static class Mailbox {

		private final TraceContextCarrier carrier;

		private final ExecutorService consumer = Executors.newSingleThreadExecutor();

		Mailbox(TraceContextCarrier carrier) {
			this.carrier = carrier;
		}

		void send(String body) {
			Map<String, String> headers = new HashMap<>();
			this.carrier.inject(headers);
			this.consumer.execute(() -> this.carrier.continueTrace(headers, "x.consume", () -> body));
		}

	}

	@Component
	static class Events {

		/**
		 * A listener of every event of the app, for the endpoint to list; the tests read what was
		 * emitted from the test kit's recorder.
		 */
		@TelemetryListener(events = "x.**", id = "minimal-events")
		void on(EventName event, Map<String, Number> measurements, Map<String, Object> metadata) {
		}

		/**
		 * Attached to a misspelt name: it never fires, and the endpoint says so.
		 */
		@TelemetryListener(events = "x.y.stpo", id = "typo-listener")
		void onTypo(EventName event, Map<String, Number> measurements, Map<String, Object> metadata) {
		}

	}

}
