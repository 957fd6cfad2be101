package io.quantserve.cli;

import io.quantserve.service.QuantServeApplication;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code serve}: runs the REST service until the process is stopped (SIGTERM / Ctrl-C close it gracefully), with the
 * embedded default ({@code io.quantserve.service.embedded}) unless {@code spring.datasource.url} is set. Every
 * argument after {@code serve} goes to Spring Boot, e.g. {@code --server.port=8080} or
 * {@code --quantserve.storage.type=s3}; environment variables work as well ({@code SPRING_DATASOURCE_URL}).
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Run the REST service. Without spring.datasource.url it starts an embedded PostgreSQL and keeps",
            "everything under quantserve.data-dir (default ./quantserve-data), where it also writes a generated",
            "admin key (admin-key). Arguments are Spring Boot properties, e.g.:",
            "  --server.port=8080 --quantserve.data-dir=/var/lib/quantserve",
            "  --spring.datasource.url=jdbc:postgresql://host/db (external PostgreSQL)",
            "  --quantserve.storage.type=s3 --quantserve.storage.s3.endpoint=http://minio:9000",
            "  --quantserve.security.admin-key=... (better: QUANTSERVE_SECURITY_ADMIN_KEY)"
        })
final class ServeCommand implements Callable<Integer> {
    @Unmatched
    List<String> springArguments = new ArrayList<>();

    @Override
    public Integer call() throws InterruptedException {
        ConfigurableApplicationContext context = start();
        CountDownLatch closed = new CountDownLatch(1);
        context.addApplicationListener(event -> {
            if (event instanceof ContextClosedEvent) closed.countDown();
        });
        if (context.isActive()) closed.await();
        return 0;
    }

    /** Starts the application and returns at once, the server running. */
    ConfigurableApplicationContext start() {
        return QuantServeApplication.start(springArguments.toArray(String[]::new));
    }
}
