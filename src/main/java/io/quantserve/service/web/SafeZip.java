package io.quantserve.service.web;

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

/**
 * Unpacks a client's zip into an empty folder so that a hostile archive cannot escape the folder or fill the disk:
 * entries that are absolute, carry a drive letter or a {@code ..} segment, or resolve outside the folder are refused,
 * as are more than {@code maxEntries} entries and more than {@code maxBytes} unpacked bytes. Every entry becomes a
 * regular file or folder: a link stored in the zip is unpacked as a file holding the link's text, never as a link. The
 * one unpacker of the service's uploads; each caller words and types its refusals ({@link Refusals}).
 */
public final class SafeZip {
    private static final int BUFFER = 64 * 1024;

    private SafeZip() {}

    /** The exceptions a caller answers each refusal with (its problem type and wording). */
    public interface Refusals {
        /** The file is not a readable zip. */
        RuntimeException unreadable(String reason);

        /** More than the allowed number of entries. */
        RuntimeException tooManyEntries(int maxEntries);

        /** An entry that would land outside the folder. */
        RuntimeException outside(String entry);

        /** More than the allowed number of unpacked bytes. */
        RuntimeException tooLarge(long maxBytes);

        /** Two entries that cannot both exist (a file and a folder of the same name). */
        RuntimeException conflicting(String file);
    }

    /**
     * Unpacks {@code zip} into the empty folder {@code target}.
     *
     * @return the files unpacked (not folders), in entry order
     */
    public static List<Path> unpack(Path zip, Path target, long maxBytes, int maxEntries, Refusals refusals) {
        Path root = target.toAbsolutePath().normalize();
        List<Path> files = new ArrayList<>();
        long total = 0;
        int count = 0;
        try (ZipFile archive = new ZipFile(zip.toFile())) {
            Enumeration<? extends ZipEntry> entries = archive.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                if (++count > maxEntries) throw refusals.tooManyEntries(maxEntries);
                Path out = inside(root, entry.getName(), refusals);
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                    continue;
                }
                Files.createDirectories(out.getParent());
                total = copy(archive, entry, out, total, maxBytes, refusals);
                files.add(out);
            }
        } catch (ZipException e) {
            throw refusals.unreadable(e.getMessage());
        } catch (FileSystemException e) {
            throw refusals.conflicting(e.getFile());
        } catch (IOException e) {
            throw new UncheckedIOException("unpacking " + zip, e);
        }
        return files;
    }

    /** Where entry {@code name} unpacks to; refuses names that are absolute or climb out of {@code root}. */
    private static Path inside(Path root, String name, Refusals refusals) {
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
            throw refusals.outside(name);
        }
        return out;
    }

    private static long copy(ZipFile archive, ZipEntry entry, Path out, long total, long maxBytes, Refusals refusals)
            throws IOException {
        long written = total;
        byte[] buffer = new byte[BUFFER];
        try (InputStream in = archive.getInputStream(entry);
                OutputStream os = Files.newOutputStream(out)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                written += n;
                if (written > maxBytes) throw refusals.tooLarge(maxBytes);
                os.write(buffer, 0, n);
            }
        }
        return written;
    }
}
