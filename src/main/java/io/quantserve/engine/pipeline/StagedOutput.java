package io.quantserve.engine.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * An output folder that is written completely or not at all. Files are written into a hidden staging folder next
 * to the target; {@link #publish()} moves them in only after everything succeeded, and {@link #close()} without
 * publish deletes the staging folder, so a failed run never leaves half-written artefacts in the target.
 */
public final class StagedOutput implements AutoCloseable {
    private final Path target;
    private final Path staging;
    private boolean published;

    public StagedOutput(Path target) {
        this.target = target.toAbsolutePath().normalize();
        try {
            Path parent = this.target.getParent();
            Files.createDirectories(parent);
            this.staging = Files.createTempDirectory(parent, "." + this.target.getFileName() + ".staging-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a staging folder next to " + target, e);
        }
    }

    /** Where a file of this run is written before publication. */
    public Path file(String name) {
        return staging.resolve(name);
    }

    public Path stagingDir() {
        return staging;
    }

    public Path target() {
        return target;
    }

    /** Moves every staged file into the target folder (created if absent), replacing files of the same name. */
    public void publish() {
        try {
            Files.createDirectories(target);
            try (DirectoryStream<Path> files = Files.newDirectoryStream(staging)) {
                for (Path f : files) {
                    Path dest = target.resolve(f.getFileName());
                    readableByAll(f);
                    try {
                        Files.move(f, dest, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    } catch (AtomicMoveNotSupportedException e) {
                        Files.move(f, dest, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            published = true;
        } catch (IOException e) {
            throw new UncheckedIOException("publishing results to " + target, e);
        }
    }

    /** Temporary files are created owner-only; published artefacts get the usual rw-r--r--. */
    private static void readableByAll(Path f) throws IOException {
        if (Files.getFileStore(f).supportsFileAttributeView("posix")) {
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    @Override
    public void close() {
        try (Stream<Path> walk = Files.walk(staging)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            if (!published) throw new UncheckedIOException("cleaning staging folder " + staging, e);
        }
    }
}
