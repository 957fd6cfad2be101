package io.quantserve.service.worker;

import io.quantserve.service.jobs.Artifact;
import io.quantserve.service.jobs.Claim;
import io.quantserve.service.jobs.ContentTypes;
import io.quantserve.service.storage.ObjectStore;
import io.quantserve.service.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads the files of a finished run to {@code {tenant}/jobs/{job}/attempts/{n}/{name}}, streamed and hashed on the
 * way. Nothing is visible to clients yet: only {@code JobQueue.publish} makes the uploads artefacts.
 */
final class ArtifactUploader {
    private static final Logger log = LoggerFactory.getLogger(ArtifactUploader.class);

    private final ObjectStore store;
    private final Clock clock;

    ArtifactUploader(ObjectStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * Uploads every regular file of {@code folder}, in name order, checking {@code progress} for a cancel or a lost
     * lease before each.
     */
    List<Artifact> upload(Claim claim, Path folder, AttemptProgress progress) {
        List<Artifact> out = new ArrayList<>();
        for (Path file : files(folder)) {
            progress.checkStop();
            String name = file.getFileName().toString();
            String key = claim.objectPrefix() + name;
            String type = ContentTypes.forName(name);
            try (InputStream in = Files.newInputStream(file)) {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                long size = Files.size(file);
                store.put(key, new DigestInputStream(in, sha), size, type);
                out.add(new Artifact(
                        claim.jobId(),
                        name,
                        claim.attempt(),
                        key,
                        size,
                        HexFormat.of().formatHex(sha.digest()),
                        type,
                        clock.instant()));
            } catch (IOException e) {
                throw new UncheckedIOException("reading artefact " + name, e);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    /** Removes what an attempt uploaded (it was cancelled or lost its lease); failures are logged. */
    void discard(Claim claim) {
        try {
            store.deleteAll(claim.objectPrefix());
        } catch (StorageException | UncheckedIOException e) {
            log.warn(
                    "uploads under '{}' could not be removed and are left behind: {}",
                    claim.objectPrefix(),
                    e.getMessage());
        }
    }

    private static List<Path> files(Path folder) {
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + folder, e);
        }
    }
}
