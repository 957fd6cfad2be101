package io.quantserve.service.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.quantserve.service.QuantServeApplication;
import io.quantserve.service.support.TestBackends;
import java.io.IOException;
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
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * The service as a second, worker-only JVM on the test backends, for the tests that kill or stop a worker process: its
 * log goes to a file, whose tail every failure message carries.
 *
 * @param process the running JVM
 * @param port its HTTP port (liveness probe)
 * @param log its standard output and error
 */
record WorkerProcess(Process process, int port, Path log) {

    /**
     * Starts {@code QuantServeApplication} with role worker, one thread and a 100 ms poll, from this test's class path.
     *
     * @param extraArguments further {@code --key=value} properties (lease, heartbeat)
     * @param extraEnvironment further environment variables (log format)
     */
    static WorkerProcess start(
            Path dir, String workerId, List<String> extraArguments, Map<String, String> extraEnvironment)
            throws IOException {
        TestBackends.Running b = TestBackends.get();
        int port = freePort();
        Path log = dir.resolve(workerId + ".log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-Xmx1g",
                QuantServeApplication.class.getName(),
                "--quantserve.role=worker",
                "--server.port=" + port,
                "--spring.datasource.url=" + b.jdbcUrl(),
                "--spring.datasource.username=" + b.dbUser(),
                "--spring.datasource.password=",
                "--quantserve.storage.type=s3",
                "--quantserve.storage.s3.endpoint=" + b.s3Endpoint(),
                "--quantserve.storage.s3.access-key=" + b.s3AccessKey(),
                "--quantserve.storage.s3.secret-key=" + b.s3SecretKey(),
                "--quantserve.storage.s3.bucket=quantserve-test",
                "--quantserve.uploads.scratch-dir=" + dir.resolve("scratch"),
                "--quantserve.worker.id=" + workerId,
                "--quantserve.worker.threads=1",
                "--quantserve.worker.poll-interval=100ms"));
        command.addAll(extraArguments);
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        // through the environment: ONNX Runtime 1.29 crashes (SIGSEGV) in a JVM whose command line holds a class path
        // of a few kilobytes
        builder.environment().put("CLASSPATH", System.getProperty("java.class.path"));
        builder.environment().putAll(extraEnvironment);
        return new WorkerProcess(builder.start(), port, log);
    }

    /** Waits until the process answers its liveness probe (its worker pool has started by then). */
    void awaitUp() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest probe = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/liveness"))
                .build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("the worker process exited with " + process.exitValue() + ":\n" + tail());
            }
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) return;
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the worker process did not come up:\n" + tail());
    }

    /**
     * Waits until job {@code id}'s row says stage {@code calibrate}, failing when the process dies first.
     *
     * @param row reads the job's row (state, stage, lease_owner)
     * @return that row
     */
    Map<String, Object> awaitCalibrating(UUID id, Function<UUID, Map<String, Object>> row)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError(
                        "the worker process exited early with " + process.exitValue() + ":\n" + tail());
            }
            Map<String, Object> r = row.apply(id);
            if ("calibrate".equals(r.get("stage"))) return r;
            assertThat(r.get("state"))
                    .as("job state while waiting for the child")
                    .isIn("QUEUED", "RUNNING");
            Thread.sleep(5);
        }
        throw new AssertionError("the worker process never calibrated job " + id + ":\n" + tail());
    }

    /** The last 40 lines of the log. */
    String tail() throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
