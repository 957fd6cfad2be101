package io.quantserve.engine.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A private temporary folder for one run (augmented models, intermediate files), deleted on close. */
public final class Scratch implements AutoCloseable {
    private final Path dir;

    /** Creates a fresh folder under {@code java.io.tmpdir}. */
    public Scratch() {
        try {
            dir = Files.createTempDirectory("quantserve-run-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a scratch folder", e);
        }
    }

    /** The folder; everything in it is deleted by {@link #close()}. */
    public Path dir() {
        return dir;
    }

    /** Deletes the folder and everything in it. */
    @Override
    public void close() {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cleaning scratch folder " + dir, e);
        }
    }
}
