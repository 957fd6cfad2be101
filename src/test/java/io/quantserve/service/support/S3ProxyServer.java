package io.quantserve.service.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real S3 server for the tests: the s3proxy jar ({@code org.gaul:s3proxy:jar-with-dependencies}, copied to
 * {@code target/s3proxy/} by the build) run as a separate process with the filesystem backend under a temporary
 * folder, AWS v2/v4 signatures checked against fixed test credentials, on a free port.
 */
final class S3ProxyServer implements AutoCloseable {
    static final String ACCESS_KEY = "quantserve-test";
    static final String SECRET_KEY = "quantserve-test-secret";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Process process;
    private final URI endpoint;
    private final Path log;

    private S3ProxyServer(Process process, URI endpoint, Path log) {
        this.process = process;
        this.endpoint = endpoint;
        this.log = log;
    }

    static S3ProxyServer start(Path workDir) {
        Path jar = locateJar();
        try {
            int port = freePort();
            Path data = Files.createDirectories(workDir.resolve("buckets"));
            Path properties = workDir.resolve("s3proxy.properties");
            Files.writeString(
                    properties,
                    String.join(
                            "\n",
                            "s3proxy.endpoint=http://127.0.0.1:" + port,
                            "s3proxy.authorization=aws-v2-or-v4",
                            "s3proxy.identity=" + ACCESS_KEY,
                            "s3proxy.credential=" + SECRET_KEY,
                            "jclouds.provider=filesystem",
                            "jclouds.filesystem.basedir=" + data.toAbsolutePath(),
                            ""));
            Path log = workDir.resolve("s3proxy.log");
            String java =
                    Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process process = new ProcessBuilder(
                            List.of(java, "-Xmx256m", "-jar", jar.toString(), "--properties", properties.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            S3ProxyServer server = new S3ProxyServer(process, URI.create("http://127.0.0.1:" + port), log);
            server.awaitPort(port);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("starting s3proxy from " + jar, e);
        }
    }

    URI endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitPort(int port) throws IOException {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("s3proxy exited with " + process.exitValue() + ":\n" + tail());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                sleep();
            }
        }
        close();
        throw new IllegalStateException(
                "s3proxy did not open port " + port + " within " + START_TIMEOUT + ":\n" + tail());
    }

    private String tail() throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for s3proxy", e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static Path locateJar() {
        String configured = System.getProperty("quantserve.test.s3proxy.jar");
        List<Path> candidates = List.of(
                Path.of(configured == null ? "target/s3proxy/s3proxy.jar" : configured),
                Path.of(
                        System.getProperty("user.home"),
                        ".m2/repository/org/gaul/s3proxy/4.1.0/s3proxy-4.1.0-jar-with-dependencies.jar"));
        return candidates.stream()
                .filter(Files::isRegularFile)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("s3proxy jar not found at " + candidates
                        + ": run the tests through Maven (process-test-resources copies it)"));
    }
}
