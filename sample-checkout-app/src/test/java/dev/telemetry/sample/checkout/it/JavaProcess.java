package dev.telemetry.sample.checkout.it;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * A jar run with the JVM that runs the tests, on a free port, its output kept in a file; stopped
 * with SIGTERM, as an orchestrator would.
 */
final class JavaProcess implements AutoCloseable {

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	final int port;

	final Path log;

	private final Process process;

	private JavaProcess(int port, Path log, Process process) {
		this.port = port;
		this.log = log;
		this.process = process;
	}

	static JavaProcess start(String name, String jarProperty, String healthPath, Duration timeout, String... args) {
		return start(name, jarProperty, freePort(), healthPath, timeout, args);
	}

	static JavaProcess start(String name, String jarProperty, int port, String healthPath, Duration timeout,
			String... args) {
		String jar = System.getProperty(jarProperty);
		if (jar == null || !new File(jar).isFile()) {
			throw new IllegalStateException("System property " + jarProperty + " must name a jar; it is " + jar
					+ ". Run the integration tests with 'mvn verify'.");
		}
		try {
			Path log = Files.createTempFile(name, ".log");
			// JVM options for this jar, such as -Dspring.aot.enabled=true from the sample's 'aot' profile.
			String options = System.getProperty(jarProperty + ".jvm-args", "");
			List<String> command = new ArrayList<>(List.of(javaExecutable(), "-Xmx512m"));
			command.addAll(List.of(options.split(" ")).stream().filter((option) -> !option.isBlank()).toList());
			command.addAll(List.of("-jar", jar, "--server.port=" + port));
			command.addAll(List.of(args));
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			JavaProcess started = new JavaProcess(port, log, process);
			try {
				await().atMost(timeout).pollInterval(Duration.ofMillis(250)).until(() -> {
					if (!process.isAlive()) {
						throw new IllegalStateException(name + " exited early:\n" + Files.readString(log));
					}
					return started.status(healthPath) == 200;
				});
			}
			catch (RuntimeException ex) {
				started.close();
				throw ex;
			}
			return started;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	int status(String path) {
		return status(uri(path));
	}

	/**
	 * The HTTP status of a GET, or -1 when nothing answers.
	 */
	static int status(URI uri) {
		try {
			return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
					HttpResponse.BodyHandlers.discarding()).statusCode();
		}
		catch (IOException ex) {
			return -1;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return -1;
		}
	}

	URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

	String output() {
		try {
			return Files.readString(this.log);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public void close() {
		terminate(Duration.ofSeconds(30));
	}

	/**
	 * Send SIGTERM and wait for the process to exit; kill it if it outlives the timeout.
	 * @return whether it exited by itself within the timeout
	 */
	boolean terminate(Duration timeout) {
		this.process.destroy();
		try {
			if (this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				return true;
			}
			this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return false;
	}

	private static String javaExecutable() {
		return ProcessHandle.current().info().command().orElse("java");
	}

	static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
