package io.quantserve.service;

import io.quantserve.service.embedded.EmbeddedDefaults;
import java.time.Clock;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/** The Spring Boot application of the service; the jar's main class is the CLI, whose {@code serve} starts this. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class QuantServeApplication {

    /**
     * Starts the service with Spring Boot's command-line arguments ({@code --server.port=8080}, …); without
     * {@code spring.datasource.url} it runs the embedded default of {@link EmbeddedDefaults}.
     */
    public static ConfigurableApplicationContext start(String... args) {
        SpringApplication application = new SpringApplication(QuantServeApplication.class);
        application.setMainApplicationClass(QuantServeApplication.class);
        application.addListeners(new EmbeddedDefaults());
        return application.run(args);
    }

    public static void main(String[] args) {
        start(args);
    }

    /** Time is a port: every timestamp the service writes comes from this clock (UTC). */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
