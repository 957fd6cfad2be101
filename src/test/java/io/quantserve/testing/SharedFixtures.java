package io.quantserve.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Locates the read-only fixtures: {@code ../shared/models}, {@code ../shared/data} (skipped with a message when
 * the folder is absent) and the models the build fetches from Maven Central as test dependencies.
 */
public final class SharedFixtures {
    private SharedFixtures() {}

    public static Path sharedDir() {
        return Path.of(System.getProperty("quantserve.shared.dir", "../shared"));
    }

    /** A file under the shared folder; the calling test is skipped (with the path) when it is missing. */
    public static Path shared(String relative) {
        Path p = sharedDir().resolve(relative);
        assumeTrue(Files.exists(p), () -> "shared fixture missing, test skipped: " + p.toAbsolutePath());
        return p;
    }

    /** Copies a model that ships inside a test-scope jar to a temporary file once per JVM. */
    public static Path classpathModel(String resource) {
        try {
            Path dir = Path.of(System.getProperty("java.io.tmpdir"), "quantserve-test-models");
            Files.createDirectories(dir);
            Path out = dir.resolve(resource.replace('/', '_'));
            if (!Files.exists(out)) {
                try (InputStream in = SharedFixtures.class.getClassLoader().getResourceAsStream(resource)) {
                    if (in == null) throw new IllegalStateException("test model not on the classpath: " + resource);
                    Path tmp = Files.createTempFile(dir, "model", ".tmp");
                    Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                    Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
