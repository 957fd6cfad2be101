package io.quantserve.service.models;

import io.quantserve.engine.InvalidModelException;
import io.quantserve.service.web.PayloadTooLargeException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.springframework.util.unit.DataSize;

/**
 * A zip holding one {@code .onnx} model and its external-data files, the model's {@code location} entries being
 * paths relative to the folder of the {@code .onnx} entry. Unpacking refuses entries that would land outside the
 * target folder (absolute names, {@code ..} segments), more than {@code maxEntries} entries and more than
 * {@code maxBytes} unpacked bytes. Every entry becomes a regular file: a link stored in the zip is unpacked as a
 * file holding the link's text, never as a link, so nothing unpacked can point outside the folder.
 */
final class ModelArchive {
    private static final int BUFFER = 64 * 1024;

    private ModelArchive() {}

    /** True when {@code file} starts with a zip's local-file-header signature ({@code PK\3\4}). */
    static boolean isZip(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(4);
            return head.length == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
    }

    /**
     * Unpacks {@code zip} into the empty folder {@code target} and returns the one {@code .onnx} file in it.
     *
     * @throws InvalidModelException for an unreadable zip, an entry outside the folder, or not exactly one model
     * @throws PayloadTooLargeException when the zip unpacks to more than {@code maxBytes} bytes
     */
    static Path unpack(Path zip, Path target, DataSize maxBytes, int maxEntries) {
        Path root = target.toAbsolutePath().normalize();
        List<Path> models = new ArrayList<>();
        long total = 0;
        int count = 0;
        try (ZipFile archive = new ZipFile(zip.toFile())) {
            Enumeration<? extends ZipEntry> entries = archive.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                if (++count > maxEntries) {
                    throw new InvalidModelException("the model zip holds more than " + maxEntries + " entries");
                }
                Path out = inside(root, entry.getName());
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                    continue;
                }
                Files.createDirectories(out.getParent());
                total = copy(archive, entry, out, total, maxBytes);
                if (entry.getName().endsWith(".onnx") && !entry.getName().startsWith("__MACOSX/")) models.add(out);
            }
        } catch (ZipException e) {
            throw new InvalidModelException(
                    "the upload starts like a zip but is not a readable zip: " + e.getMessage());
        } catch (FileSystemException e) {
            throw new InvalidModelException(
                    "the model zip's entries conflict (a file and a folder of the same name): " + e.getFile());
        } catch (IOException e) {
            throw new UncheckedIOException("unpacking " + zip, e);
        }
        if (models.size() != 1) {
            throw new InvalidModelException("a model zip must hold exactly one .onnx file (next to its external data"
                    + " files), this one holds " + models.size());
        }
        return models.getFirst();
    }

    /** Where entry {@code name} unpacks to; refuses names that are absolute or climb out of {@code root}. */
    private static Path inside(Path root, String name) {
        String normalized = name.replace('\\', '/');
        boolean climbs = false;
        for (String segment : normalized.split("/")) {
            if (segment.equals("..")) climbs = true;
        }
        Path out = root.resolve(normalized).normalize();
        if (climbs
                || normalized.startsWith("/")
                || normalized.matches("^[A-Za-z]:.*")
                || !out.startsWith(root)
                || out.equals(root)) {
            throw new InvalidModelException("zip entry '" + name
                    + "' leaves the archive's folder; entries must be relative paths without '..'");
        }
        return out;
    }

    private static long copy(ZipFile archive, ZipEntry entry, Path out, long total, DataSize maxBytes)
            throws IOException {
        long written = total;
        byte[] buffer = new byte[BUFFER];
        try (InputStream in = archive.getInputStream(entry);
                OutputStream os = Files.newOutputStream(out)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                written += n;
                if (written > maxBytes.toBytes())
                    throw new PayloadTooLargeException("the unpacked model zip", maxBytes);
                os.write(buffer, 0, n);
            }
        }
        return written;
    }
}
