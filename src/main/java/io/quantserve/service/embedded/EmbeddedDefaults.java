package io.quantserve.service.embedded;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * Starts the embedded default before the application context exists, when {@code spring.datasource.url} is unset: the
 * embedded PostgreSQL on {@code <data-dir>/postgres}, whose URL and credentials become the data source's, and the
 * bootstrap admin key of {@code <data-dir>/admin-key} unless {@code quantserve.security.admin-key} is set. The server
 * becomes a bean that the data source depends on, so it stops after the last database user when the context closes
 * (Ctrl-C, SIGTERM), or at once when start-up fails. With {@code spring.datasource.url} set it does nothing: an
 * external database never gets a generated key.
 *
 * <p>Registered on the {@code SpringApplication} by {@code QuantServeApplication.start}; one instance per run.
 */
public final class EmbeddedDefaults implements ApplicationListener<ApplicationEvent> {
    /** Name of the property source holding the embedded settings, and of the server's bean. */
    static final String NAME = "quantserveEmbedded";

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDefaults.class);

    private @Nullable EmbeddedPostgresServer postgres;
    private @Nullable DataDirProperties settings;
    private @Nullable Path adminKeyFile;
    private boolean keyGenerated;

    @Override
    public void onApplicationEvent(ApplicationEvent event) {
        switch (event) {
            case ApplicationEnvironmentPreparedEvent e -> prepare(e.getEnvironment());
            case ApplicationPreparedEvent e -> register(e.getApplicationContext());
            case ApplicationReadyEvent e -> ready(e);
            case ApplicationFailedEvent e -> stop();
            default -> {}
        }
    }

    private void prepare(ConfigurableEnvironment environment) {
        if (StringUtils.hasText(environment.getProperty("spring.datasource.url"))) return;
        DataDirProperties dirs = Binder.get(environment).bindOrCreate("quantserve", DataDirProperties.class);
        settings = dirs;
        log.info(
                "no spring.datasource.url: starting the embedded PostgreSQL in {}",
                dirs.postgres().toAbsolutePath());
        EmbeddedPostgresServer server = EmbeddedPostgresServer.start(
                dirs.postgres(), dirs.embeddedPostgres().port());
        postgres = server;
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("spring.datasource.url", server.jdbcUrl());
        properties.put("spring.datasource.username", EmbeddedPostgresServer.USER);
        properties.put("spring.datasource.password", "");
        if (!StringUtils.hasText(environment.getProperty("quantserve.security.admin-key"))) {
            AdminKeyFile.AdminKey key = AdminKeyFile.readOrCreate(dirs.adminKeyFile());
            keyGenerated = key.generated();
            adminKeyFile = dirs.adminKeyFile().toAbsolutePath().normalize();
            properties.put("quantserve.security.admin-key", key.key());
            if (key.generated()) {
                log.info(
                        "generated the bootstrap admin key {} (kept in {})",
                        key.key(),
                        dirs.adminKeyFile().toAbsolutePath());
            }
        }
        // first: the embedded server's address wins over the external defaults (user name) of application.yaml
        environment.getPropertySources().addFirst(new MapPropertySource(NAME, properties));
    }

    private void register(ConfigurableApplicationContext context) {
        EmbeddedPostgresServer server = postgres;
        if (server == null) return;
        if (!(context instanceof GenericApplicationContext generic)) {
            throw new IllegalStateException("cannot register the embedded PostgreSQL with " + context.getClass());
        }
        generic.registerBean(NAME, EmbeddedPostgresServer.class, () -> server, d -> d.setDestroyMethodName("close"));
        generic.addBeanFactoryPostProcessor(EmbeddedDefaults::dataSourcesDependOnServer);
    }

    /** Data sources are created after the server and, above all, destroyed before it. */
    private static void dataSourcesDependOnServer(ConfigurableListableBeanFactory factory) {
        for (String name : factory.getBeanNamesForType(DataSource.class, true, false)) {
            BeanDefinition definition = factory.getBeanDefinition(name);
            String[] before = definition.getDependsOn();
            String[] after = before == null ? new String[1] : Arrays.copyOf(before, before.length + 1);
            after[after.length - 1] = NAME;
            definition.setDependsOn(after);
        }
    }

    private void ready(ApplicationReadyEvent event) {
        EmbeddedPostgresServer server = postgres;
        DataDirProperties dirs = settings;
        if (server == null || dirs == null) return;
        String address = event.getApplicationContext() instanceof WebServerApplicationContext web
                ? "http://localhost:" + web.getWebServer().getPort()
                : "(no web server)";
        Path data = dirs.dataDir().toAbsolutePath().normalize();
        String key = adminKeyFile == null ? "" : "; admin key in " + adminKeyFile + (keyGenerated ? " (new)" : "");
        log.info(
                "QuantServe ready at {}; data in {} (embedded PostgreSQL on port {}){}",
                address,
                data,
                server.port(),
                key);
    }

    private void stop() {
        EmbeddedPostgresServer server = postgres;
        if (server != null) server.close();
    }
}
