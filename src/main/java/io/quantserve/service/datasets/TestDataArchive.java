package io.quantserve.service.datasets;

import io.quantserve.engine.InvalidDataException;
import io.quantserve.service.web.SafeZip;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * A zip of an ONNX Runtime test-data folder ({@code test_data_set_<i>/input_<k>.pb}, optionally inside one top
 * folder), unpacked by {@link SafeZip} so that a hostile archive cannot escape the scratch folder or fill the disk.
 */
final class TestDataArchive {
    private static final Pattern SET = Pattern.compile("test_data_set_\\d+");
    private static final Pattern INPUT = Pattern.compile("input_\\d+\\.pb");
    /** The problems a hostile or unreadable archive is refused with. */
    private static final SafeZip.Refusals REFUSALS = new SafeZip.Refusals() {
        @Override
        public RuntimeException unreadable(String reason) {
            return new InvalidDataException("the upload is not a readable zip: " + reason);
        }

        @Override
        public RuntimeException tooManyEntries(int maxEntries) {
            return new InvalidDataException("the zip holds more than " + maxEntries + " entries");
        }

        @Override
        public RuntimeException outside(String entry) {
            return new InvalidDataException("zip entry '" + entry + "' points outside the archive");
        }

        @Override
        public RuntimeException tooLarge(long maxBytes) {
            return new InvalidDataException("the zip unpacks to more than " + maxBytes + " bytes");
        }

        @Override
        public RuntimeException conflicting(String file) {
            return new InvalidDataException(
                    "the zip's entries conflict (a file and a folder of the same name): " + file);
        }
    };

    private TestDataArchive() {}

    /** True when {@code file} is a zip holding {@code .pb} files (rather than a NumPy {@code .npz}). */
    static boolean holdsTensorFiles(Path file) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                if (entries.nextElement().getName().endsWith(".pb")) return true;
            }
            return false;
        } catch (ZipException e) {
            throw new InvalidDataException(
                    "the upload starts like a zip (.npz) but is not a readable zip: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
    }

    /**
     * Unpacks {@code zip} into the empty folder {@code target} and returns the test-data folder inside it: the
     * folder that holds the {@code test_data_set_<i>} folders (or {@code input_<k>.pb} files).
     *
     * @throws InvalidDataException for an unreadable or hostile archive, or one without test data
     */
    static Path unpack(Path zip, Path target, long maxBytes, int maxEntries) {
        SafeZip.unpack(zip, target, maxBytes, maxEntries, REFUSALS);
        return dataRoot(target.toAbsolutePath().normalize());
    }

    /** Descends through single top folders (ignoring {@code __MACOSX}) to the folder holding the sets. */
    private static Path dataRoot(Path folder) {
        Path current = folder;
        while (true) {
            List<Path> children = children(current);
            boolean holdsSets = children.stream()
                    .anyMatch(p -> Files.isDirectory(p) && SET.matcher(name(p)).matches());
            boolean holdsInputs = children.stream()
                    .anyMatch(p ->
                            Files.isRegularFile(p) && INPUT.matcher(name(p)).matches());
            if (holdsSets || holdsInputs) return current;
            List<Path> folders = children.stream()
                    .filter(Files::isDirectory)
                    .filter(p -> !name(p).equals("__MACOSX"))
                    .toList();
            if (folders.size() != 1) {
                throw new InvalidDataException(
                        "the zip holds no test_data_set_<i> folder with input_<k>.pb files (ONNX test-data layout)");
            }
            current = folders.getFirst();
        }
    }

    private static List<Path> children(Path folder) {
        try (Stream<Path> s = Files.list(folder)) {
            return new ArrayList<>(s.sorted().toList());
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + folder, e);
        }
    }

    private static String name(Path p) {
        return p.getFileName().toString();
    }
}
