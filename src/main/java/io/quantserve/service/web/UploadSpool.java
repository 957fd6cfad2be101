package io.quantserve.service.web;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.multipart.MultipartHttpServletRequest;
import org.springframework.web.util.WebUtils;

/**
 * Copies uploads to scratch files in bounded buffers, hashing them on the way and enforcing
 * {@code quantserve.uploads.max-size}: an upload that announces more bytes is refused before a byte is read, one
 * that turns out longer is cut off at the limit. Either way nothing is left behind.
 */
@Component
public final class UploadSpool {
    /** Name of the multipart part that carries the file. */
    public static final String FILE_PART = "file";

    private static final int BUFFER = 64 * 1024;

    private final DataSize limit;
    private final Path scratch;
    private final Pattern scratchPrefix;

    UploadSpool(UploadProperties properties) {
        this.limit = properties.maxSize();
        this.scratch = properties.scratch().toAbsolutePath().normalize();
        this.scratchPrefix = Pattern.compile(Pattern.quote(scratch.toString()) + "/[^/'\"\\s]+/?");
        try {
            Files.createDirectories(scratch);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the scratch folder " + scratch, e);
        }
    }

    /**
     * An upload received into a scratch file; closing deletes it.
     *
     * @param file the spooled content, in a file named after the upload (see {@link UploadNames#fileSafe})
     * @param name the upload's display name: the {@code name} parameter, else the multipart part's file name,
     *     else the fallback
     */
    public record Received(SpooledFile file, String name) implements AutoCloseable {
        @Override
        public void close() {
            file.close();
        }
    }

    /**
     * Receives the file of an upload request: the multipart part {@value #FILE_PART} of a
     * {@code multipart/form-data} request, else the raw request body.
     *
     * @param name the name the client gave with {@code ?name=} (or a form field), or {@code null}
     * @param fallbackName the name when the client gave none
     * @param what names the upload in messages ("model upload")
     * @throws BadRequestException when a multipart request has no {@value #FILE_PART} part
     * @throws PayloadTooLargeException when the file is or claims to be over the limit
     */
    public Received receive(HttpServletRequest request, @Nullable String name, String fallbackName, String what)
            throws IOException {
        MultipartHttpServletRequest multipart = WebUtils.getNativeRequest(request, MultipartHttpServletRequest.class);
        if (multipart != null) {
            MultipartFile part = multipart.getFile(FILE_PART);
            if (part == null) {
                throw new BadRequestException(
                        "a multipart " + what + " carries the file in the part named '" + FILE_PART + "'");
            }
            String display = UploadNames.clean(name != null ? name : part.getOriginalFilename(), fallbackName);
            try (InputStream in = part.getInputStream()) {
                return new Received(spool(in, part.getSize(), what, UploadNames.fileSafe(display)), display);
            }
        }
        String display = UploadNames.clean(name, fallbackName);
        long announced = request.getContentLengthLong();
        checkAnnounced(announced, what);
        try (InputStream in = request.getInputStream()) {
            return new Received(spool(in, announced, what, UploadNames.fileSafe(display)), display);
        }
    }

    /**
     * Removes scratch locations from a message meant for a client: {@code <scratch>/<work folder>/a/b} becomes
     * {@code a/b}, so that problem details name the upload's own files and never the server's folders.
     */
    public String redact(String message) {
        return scratchPrefix.matcher(message).replaceAll("");
    }

    /** The upload limit. */
    public DataSize limit() {
        return limit;
    }

    /** Refuses an upload whose announced length is over the limit; {@code -1} means not announced. */
    public void checkAnnounced(long announcedLength, String what) {
        if (announcedLength > limit.toBytes()) throw new PayloadTooLargeException(what, limit);
    }

    /**
     * Copies {@code in} to its end into a new scratch file, alone in a folder of its own (so that nothing a model
     * refers to as external data can be found next to it).
     *
     * @param announcedLength the length the client announced, or {@code -1}
     * @param what names the upload in messages ("model upload")
     * @param fileName name of the scratch file, as messages about its content will show it; a plain file name
     * @throws PayloadTooLargeException when the content is or claims to be over the limit
     */
    public SpooledFile spool(InputStream in, long announcedLength, String what, String fileName) {
        checkAnnounced(announcedLength, what);
        Path folder = newWorkFolder("upload");
        Path file = folder.resolve(fileName);
        boolean kept = false;
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            long total = 0;
            byte[] buffer = new byte[BUFFER];
            try (OutputStream out = Files.newOutputStream(file)) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    total += n;
                    if (total > limit.toBytes()) throw new PayloadTooLargeException(what, limit);
                    sha.update(buffer, 0, n);
                    out.write(buffer, 0, n);
                }
            }
            kept = true;
            return new SpooledFile(file, total, HexFormat.of().formatHex(sha.digest()));
        } catch (IOException e) {
            throw new UncheckedIOException("receiving the " + what, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } finally {
            if (!kept) deleteTree(folder);
        }
    }

    /** A new empty folder under the scratch folder, e.g. to unpack or download into; the caller deletes it. */
    public Path newWorkFolder(String purpose) {
        try {
            return Files.createTempDirectory(scratch, purpose + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a scratch folder under " + scratch, e);
        }
    }

    /** Deletes a folder made by {@link #newWorkFolder} with everything in it. */
    public static void deleteTree(Path folder) {
        if (!Files.exists(folder)) return;
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(UploadSpool::deleteQuietly);
        } catch (IOException e) {
            throw new UncheckedIOException("deleting scratch folder " + folder, e);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // scratch leftovers are harmless; the operation's own outcome is what matters to the caller
        }
    }
}
