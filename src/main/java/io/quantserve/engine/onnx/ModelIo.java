package io.quantserve.engine.onnx;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.quantserve.engine.InvalidModelException;
import io.quantserve.engine.onnx.proto.Onnx.ModelProto;
import io.quantserve.engine.onnx.proto.Onnx.StringStringEntryProto;
import io.quantserve.engine.onnx.proto.Onnx.TensorProto;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Loads and saves ONNX models losslessly, external data included.
 *
 * <p>Loading keeps external tensors as references (checked to lie inside the model's folder) and reads them
 * lazily. Saving inlines everything when the result stays under {@link #EXTERNAL_DATA_THRESHOLD} bytes, as
 * AMCT does; otherwise the largest initializers move to one {@code <model file>.data} file next to the model
 * (offsets aligned to 64 bytes, 4096 for tensors of 1 MiB or more so ONNX Runtime can memory-map them).
 * Writes go to a temporary file that is moved into place, so a failed save never leaves a half-written model.
 */
public final class ModelIo {
    /** AMCT's limit: a protobuf of this many bytes or more is saved with external data. */
    public static final long EXTERNAL_DATA_THRESHOLD = 2_000_000_000L;

    private static final int RECURSION_LIMIT = 1024;

    private ModelIo() {}

    public static OnnxModel load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidModelException("model file '" + file + "' does not exist");
        }
        try (InputStream in = Files.newInputStream(file)) {
            OnnxModel model = new OnnxModel(
                    parse(in, file.getFileName().toString()),
                    file.toAbsolutePath().getParent());
            ModelTensors.forEach(model.proto(), t -> {
                if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
                    ExternalData.resolve(t, model.baseDir());
                }
            });
            return model;
        } catch (IOException e) {
            throw new UncheckedIOException("reading model '" + file + "'", e);
        }
    }

    /** Parses a model from a stream; external data, if any, cannot be resolved (no folder). */
    public static ModelProto parse(InputStream in, String what) throws IOException {
        CodedInputStream cin = CodedInputStream.newInstance(in);
        cin.setSizeLimit(Integer.MAX_VALUE);
        cin.setRecursionLimit(RECURSION_LIMIT);
        ModelProto proto;
        try {
            proto = ModelProto.parseFrom(cin);
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidModelException("'" + what + "' is not a valid ONNX model: " + e.getMessage(), e);
        }
        if (!proto.hasGraph() || proto.getIrVersion() <= 0) {
            throw new InvalidModelException(
                    "'" + what + "' is not an ONNX model (no graph or no ir_version): is it the right file?");
        }
        return proto;
    }

    public static void save(OnnxModel model, Path file) {
        save(model, file, EXTERNAL_DATA_THRESHOLD);
    }

    /**
     * Saves {@code model} to {@code file}. Tensors go external (into {@code file + ".data"}) only when the
     * inlined protobuf would reach {@code threshold} bytes; the threshold is a parameter so tests can exercise
     * the external path on small models.
     */
    public static void save(OnnxModel model, Path file, long threshold) {
        Path dir = file.toAbsolutePath().getParent();
        String dataName = file.getFileName() + ".data";
        Path dataFile = dir.resolve(dataName);
        try {
            Files.createDirectories(dir);
            ModelProto proto = model.proto();
            long externalBytes = externalPayload(proto);
            long inlineSize = proto.getSerializedSize() + externalBytes;
            ModelProto out;
            if (inlineSize < threshold) {
                out = ModelTensors.rewrite(proto, t -> inline(t, model));
                Files.deleteIfExists(dataFile);
                writeAtomically(file, out);
                return;
            }
            Set<String> moveOut = chooseExternal(proto, threshold, externalBytes);
            Path tmpData = Files.createTempFile(dir, dataName, ".tmp");
            try (FileChannel ch = FileChannel.open(tmpData, StandardOpenOption.WRITE)) {
                out = ModelTensors.rewrite(proto, t -> {
                    boolean external = t.getDataLocation() == TensorProto.DataLocation.EXTERNAL;
                    if (!external && !moveOut.contains(t.getName())) {
                        return t;
                    }
                    return externalize(t, model, ch, dataName);
                });
            }
            Files.move(tmpData, dataFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            writeAtomically(file, out);
        } catch (IOException e) {
            throw new UncheckedIOException("writing model '" + file + "'", e);
        }
    }

    private static long externalPayload(ModelProto proto) {
        long[] sum = {0};
        ModelTensors.forEach(proto, t -> {
            if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
                sum[0] += TensorProtos.payloadBytes(t);
            }
        });
        return sum[0];
    }

    /** Names of the largest inline main-graph initializers to move out until the protobuf fits. */
    private static Set<String> chooseExternal(ModelProto proto, long threshold, long externalBytes) {
        List<TensorProto> inits = new ArrayList<>(proto.getGraph().getInitializerList());
        inits.removeIf(t -> t.getDataLocation() == TensorProto.DataLocation.EXTERNAL);
        inits.sort(Comparator.comparingLong((TensorProto t) -> t.getSerializedSize())
                .reversed()
                .thenComparing(TensorProto::getName));
        long size = proto.getSerializedSize();
        Set<String> names = new HashSet<>();
        for (TensorProto t : inits) {
            if (size < threshold) {
                break;
            }
            size -= t.getSerializedSize();
            names.add(t.getName());
        }
        return names;
    }

    private static TensorProto inline(TensorProto t, OnnxModel model) {
        if (t.getDataLocation() != TensorProto.DataLocation.EXTERNAL) {
            return t;
        }
        byte[] bytes = ExternalData.read(t, model.baseDir());
        return t.toBuilder()
                .clearExternalData()
                .clearDataLocation()
                .setRawData(ByteString.copyFrom(bytes))
                .build();
    }

    private static TensorProto externalize(TensorProto t, OnnxModel model, FileChannel ch, String dataName) {
        byte[] bytes = t.getDataLocation() == TensorProto.DataLocation.EXTERNAL
                ? ExternalData.read(t, model.baseDir())
                : TensorProtos.toTensor(t, model.baseDir()).bytes();
        try {
            long align = bytes.length >= (1 << 20) ? 4096 : 64;
            long offset = (ch.size() + align - 1) / align * align;
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            long pos = offset;
            while (buf.hasRemaining()) {
                pos += ch.write(buf, pos);
            }
            return t.toBuilder()
                    .clearRawData()
                    .clearFloatData()
                    .clearInt32Data()
                    .clearInt64Data()
                    .clearDoubleData()
                    .clearUint64Data()
                    .clearExternalData()
                    .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                    .addExternalData(entry("location", dataName))
                    .addExternalData(entry("offset", Long.toString(offset)))
                    .addExternalData(entry("length", Long.toString(bytes.length)))
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException("writing external data of '" + t.getName() + "'", e);
        }
    }

    private static StringStringEntryProto entry(String k, String v) {
        return StringStringEntryProto.newBuilder().setKey(k).setValue(v).build();
    }

    private static void writeAtomically(Path file, ModelProto proto) throws IOException {
        Path tmp = Files.createTempFile(
                file.toAbsolutePath().getParent(), file.getFileName().toString(), ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                proto.writeTo(out);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
