package io.quantserve.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.quantserve.engine.onnx.ModelIo;
import io.quantserve.service.embedded.EmbeddedPostgresServer;
import io.quantserve.service.support.TestBackends;
import io.quantserve.testing.SampleModels;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine;

/** {@code quantserve serve}: the jar's CLI starts the Spring application with the arguments it is given. */
@ExtendWith(TestBackends.class)
class ServeCommandTest {
    private static final String ADMIN_KEY = "serve-test-admin-key-42";

    @TempDir
    Path tmp;

    @Test
    void helpListsSpringProperties() {
        StringWriter out = new StringWriter();
        int code = QuantServeCli.execute(
                new String[] {"serve", "--help"}, new PrintWriter(out), new PrintWriter(new StringWriter()));
        assertThat(code).isZero();
        assertThat(out.toString()).contains("--server.port=8080").contains("quantserve.storage.type=s3");
    }

    @Test
    void serveRunsTheServiceWithAFilesystemStore() throws Exception {
        TestBackends.Running b = TestBackends.get();
        Path storage = tmp.resolve("storage");
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve)
                .parseArgs(
                        "--server.port=0",
                        "--spring.datasource.url=" + b.jdbcUrl(),
                        "--spring.datasource.username=" + b.dbUser(),
                        "--spring.datasource.password=",
                        "--quantserve.storage.type=filesystem",
                        "--quantserve.storage.filesystem.root=" + storage,
                        "--quantserve.security.admin-key=" + ADMIN_KEY,
                        "--quantserve.uploads.scratch-dir=" + tmp.resolve("scratch"));

        try (ConfigurableApplicationContext context = serve.start()) {
            assertThat(context.getBeansOfType(EmbeddedPostgresServer.class))
                    .as("an external spring.datasource.url turns the embedded PostgreSQL off")
                    .isEmpty();
            int port = ((WebServerApplicationContext) context).getWebServer().getPort();
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> health = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);

            Path model = tmp.resolve("tiny.onnx");
            ModelIo.save(SampleModels.allLayerKinds(), model);
            HttpResponse<String> upload = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/models"))
                            .header("Authorization", "Bearer " + ADMIN_KEY)
                            .header("Content-Type", "application/octet-stream")
                            .POST(HttpRequest.BodyPublishers.ofFile(model))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(upload.statusCode()).as(upload.body()).isEqualTo(201);
            try (Stream<Path> files = Files.walk(storage.resolve("objects"))) {
                assertThat(files.filter(Files::isRegularFile)
                                .map(p -> p.getFileName().toString()))
                        .contains("model.onnx");
            }
        }
    }
}
