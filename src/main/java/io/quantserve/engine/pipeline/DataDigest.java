package io.quantserve.engine.pipeline;

import io.quantserve.engine.export.Manifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/** One sha256 for calibration data, whether a file or a test-data folder. */
final class DataDigest {
    private DataDigest() {}

    /**
     * A file: its sha256. A folder: the sha256 of the lines {@code <relative path>\0<sha256 of the file>\n} of every
     * regular file below it, in sorted path order ({@code /} separators), so renaming or editing any file changes it.
     */
    static String sha256(Path data) {
        if (!Files.isDirectory(data)) return Manifest.digest(data).sha256();
        try (Stream<Path> walk = Files.walk(data)) {
            List<Path> files = walk.filter(Files::isRegularFile).sorted().toList();
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Path f : files) {
                String line = data.relativize(f).toString().replace('\\', '/') + "\0"
                        + Manifest.digest(f).sha256() + "\n";
                md.update(line.getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("hashing " + data, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
