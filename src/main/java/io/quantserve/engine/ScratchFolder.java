package io.quantserve.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A temporary folder for one step's intermediate models, removed with everything in it on {@link #close}. Steps that
 * write probe or check models create one under the run's scratch space so that nothing outlives the step.
 */
public final class ScratchFolder implements AutoCloseable {
    private final Path dir;
    private final String purpose;

    private ScratchFolder(Path dir, String purpose) {
        this.dir = dir;
        this.purpose = purpose;
    }

    /**
     * A new, empty folder under {@code parent} (created if missing).
     *
     * @param purpose what the folder is for, used in its name and in error messages (e.g. {@code report-replay})
     */
    public static ScratchFolder under(Path parent, String purpose) {
        try {
            Files.createDirectories(parent);
            return new ScratchFolder(Files.createTempDirectory(parent, purpose), purpose);
        } catch (IOException e) {
            throw new UncheckedIOException("creating a scratch folder for " + purpose + " in " + parent, e);
        }
    }

    /** A new, empty folder in the system's temporary space. */
    public static ScratchFolder temporary(String purpose) {
        try {
            return new ScratchFolder(Files.createTempDirectory("quantserve-" + purpose), purpose);
        } catch (IOException e) {
            throw new UncheckedIOException("creating a scratch folder for " + purpose, e);
        }
    }

    public Path path() {
        return dir;
    }

    /** {@code name} inside the folder. */
    public Path resolve(String name) {
        return dir.resolve(name);
    }

    /** Deletes the folder and its contents. */
    @Override
    public void close() {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("removing the " + purpose + " scratch folder '" + dir + "'", e);
        }
    }
}
