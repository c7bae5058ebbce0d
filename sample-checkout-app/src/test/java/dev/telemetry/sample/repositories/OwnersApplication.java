package dev.telemetry.sample.repositories;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.telemetry.EventName;
import dev.telemetry.TelemetryEvent;
import dev.telemetry.TelemetryListener;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;

import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;
import org.springframework.data.repository.CrudRepository;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * An application shaped like the public ones users try the starter on: Spring Data JPA
 * repositories on an embedded database, a controller that calls them, no service layer. The
 * annotations sit where such a user puts them first: on a repository method, on a repository
 * interface, and on a controller method.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableJpaRepositories(considerNestedRepositories = true)
@Import({ OwnersApplication.OwnerController.class, OwnersApplication.Events.class })
public class OwnersApplication {

	@Bean
	ApplicationRunner owners(OwnerRepository owners) {
		return (arguments) -> owners.saveAll(List.of(new Owner("Davis"), new Owner("Davidson"), new Owner("Franklin")));
	}

	@Entity
	public static class Owner {

		@Id
		@GeneratedValue
		private Long id;

		private String lastName;

		protected Owner() {
		}

		Owner(String lastName) {
			this.lastName = lastName;
		}

		public String getLastName() {
			return this.lastName;
		}

	}

	@Entity
	public static class Visit {

		@Id
		@GeneratedValue
		private Long id;

	}

	public interface OwnerRepository extends JpaRepository<Owner, Long> {

		@TelemetryEvent(value = "owners.find", metadata = "prefix=#lastName", stopMetadata = "found=#result.size()")
		List<Owner> findByLastNameStartingWith(String lastName);

	}

	@TelemetryEvent("visits")
	public interface VisitRepository extends CrudRepository<Visit, Long> {

	}

	@RestController
	static class OwnerController {

		private final OwnerRepository owners;

		private final VisitRepository visits;

		OwnerController(OwnerRepository owners, VisitRepository visits) {
			this.owners = owners;
			this.visits = visits;
		}

		@TelemetryEvent(value = "owners.search", metadata = "query=#lastName")
		@GetMapping("/owners")
		public List<String> find(@RequestParam String lastName) {
			this.visits.count();
			return this.owners.findByLastNameStartingWith(lastName).stream().map(Owner::getLastName).toList();
		}

	}

	static class Events {

		final List<Received> received = new CopyOnWriteArrayList<>();

		@TelemetryListener(events = { "owners.**", "visits.**" })
		void on(EventName event, Map<String, Number> measurements, Map<String, Object> metadata) {
			this.received.add(new Received(event.toString(), new HashMap<>(metadata)));
		}

		record Received(String name, Map<String, Object> metadata) {
		}

	}

}
