package io.quantserve.service.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The bootstrap admin key of the embedded default, kept in one file of the data folder: generated (256 random bits,
 * URL-safe Base64) on first start, read back on every later one, so the key a user noted keeps working.
 */
final class AdminKeyFile {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The key and whether this call generated it. */
    record AdminKey(String key, boolean generated) {}

    private AdminKeyFile() {}

    /** The key in {@code file}, or a new one written there (owner read/write only where the file system allows). */
    static AdminKey readOrCreate(Path file) {
        try {
            if (Files.exists(file)) return new AdminKey(read(file), false);
            Files.createDirectories(file.toAbsolutePath().getParent());
            byte[] bits = new byte[32];
            RANDOM.nextBytes(bits);
            String key = Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
            try {
                // created owner-only before the key is written, so it is never readable by others
                if (Files.getFileStore(file.toAbsolutePath().getParent()).supportsFileAttributeView("posix")) {
                    Files.createFile(
                            file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                } else {
                    Files.createFile(file);
                }
            } catch (FileAlreadyExistsException raced) {
                return new AdminKey(read(file), false);
            }
            Files.writeString(file, key + "\n", StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
            return new AdminKey(key, true);
        } catch (IOException e) {
            throw new UncheckedIOException("reading or creating the admin key file " + file, e);
        }
    }

    private static String read(Path file) throws IOException {
        String key = Files.readString(file, StandardCharsets.US_ASCII).strip();
        if (key.isEmpty()) throw new IllegalStateException(file + " is empty: delete it to generate a new admin key");
        return key;
    }
}
