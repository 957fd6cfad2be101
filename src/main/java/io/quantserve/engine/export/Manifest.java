package io.quantserve.engine.export;

import io.quantserve.engine.runtime.InferenceSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Provenance of a run, written as {@code manifest.json}: sha256 and size of every input and output file, the
 * engine and ONNX Runtime versions, the options and the seed. It holds no timestamps or host names, so the same
 * inputs give a byte-identical manifest.
 */
public final class Manifest {
    public static final String FILE_NAME = "manifest.json";

    private final Map<String, FileDigest> inputs = new TreeMap<>();
    private final Map<String, FileDigest> outputs = new TreeMap<>();
    private Record options = new NoOptions();
    private final long seed;

    /** Digest of one file: lowercase hex sha256 and size in bytes. */
    public record FileDigest(String sha256, long bytes) {}

    public Manifest(long seed) {
        this.seed = seed;
    }

    public Manifest input(String role, Path file) {
        inputs.put(role, digest(file));
        return this;
    }

    public Manifest output(String name, Path file) {
        outputs.put(name, digest(file));
        return this;
    }

    private record NoOptions() {}

    /** The resolved options of the run, a record serialised field by field. */
    public Manifest options(Record resolved) {
        this.options = resolved;
        return this;
    }

    public static FileDigest digest(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            long size = 0;
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
                size += n;
            }
            return new FileDigest(HexFormat.of().formatHex(md.digest()), size);
        } catch (IOException e) {
            throw new UncheckedIOException("hashing " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String engineVersion() {
        String v = Manifest.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    public void write(Path file) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("tool", "quantserve");
        doc.put("engine_version", engineVersion());
        doc.put("onnxruntime_version", InferenceSession.runtimeVersion());
        doc.put("seed", seed);
        doc.put("options", options);
        doc.put("inputs", inputs);
        doc.put("outputs", outputs);
        JsonMapper mapper =
                JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
        try {
            Files.writeString(file, mapper.writeValueAsString(doc) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
