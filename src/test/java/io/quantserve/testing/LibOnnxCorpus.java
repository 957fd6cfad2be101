package io.quantserve.testing;

import io.quantserve.engine.onnx.TensorProtos;
import io.quantserve.engine.onnx.proto.Onnx.GraphProto;
import io.quantserve.engine.onnx.proto.Onnx.ModelProto;
import io.quantserve.engine.onnx.proto.Onnx.TensorProto;
import io.quantserve.engine.onnx.proto.Onnx.TypeProto;
import io.quantserve.engine.onnx.proto.Onnx.ValueInfoProto;
import io.quantserve.engine.tensor.DataType;
import io.quantserve.engine.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The Debian {@code libonnx-testdata} corpus ({@code /usr/share/libonnx-testdata/data}, ONNX's backend test models
 * with reference inputs): locating its models, reading the inputs of {@code test_data_set_0}, and comparing
 * outputs bit for bit.
 */
public final class LibOnnxCorpus {
    /** Element types the engine's ONNX Runtime wrapper can feed and hand back. */
    private static final Set<DataType> EXCHANGEABLE = EnumSet.of(
            DataType.FLOAT,
            DataType.DOUBLE,
            DataType.FLOAT16,
            DataType.INT8,
            DataType.UINT8,
            DataType.INT16,
            DataType.INT32,
            DataType.INT64,
            DataType.BOOL);

    private LibOnnxCorpus() {}

    public static Path root() {
        return Path.of(System.getProperty("quantserve.libonnx.dir", "/usr/share/libonnx-testdata/data"));
    }

    public static boolean present() {
        return Files.isDirectory(root());
    }

    /** Every {@code model.onnx} under the corpus, sorted by path. */
    public static List<Path> models() {
        try (Stream<Path> files = Files.walk(root())) {
            return files.filter(p -> p.getFileName().toString().equals("model.onnx"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The path of {@code model} relative to the corpus root, e.g. {@code node/test_abs/model.onnx}. */
    public static String label(Path model) {
        return root().relativize(model).toString();
    }

    /** The inputs a model is fed, or why they cannot be. */
    public sealed interface Feeds permits Readable, Unreadable {}

    public record Readable(Map<String, Tensor> tensors) implements Feeds {}

    public record Unreadable(String reason) implements Feeds {}

    /**
     * Reads {@code test_data_set_0/input_<i>.pb} next to {@code modelFile} for the i-th real input of the graph
     * (inputs that are initializers excluded, as ONNX's backend test runner does). Inputs that are not tensors, or
     * whose element type the engine cannot exchange with ONNX Runtime, make the feeds unreadable; so do outputs of
     * such types, since their values cannot be compared.
     */
    public static Feeds feeds(ModelProto model, Path modelFile) {
        GraphProto g = model.getGraph();
        Set<String> initializers = new HashSet<>();
        g.getInitializerList().forEach(t -> initializers.add(t.getName()));
        List<ValueInfoProto> inputs = g.getInputList().stream()
                .filter(v -> !initializers.contains(v.getName()))
                .toList();
        for (ValueInfoProto out : g.getOutputList()) {
            Optional<String> problem = unexchangeable(out);
            if (problem.isPresent()) return new Unreadable("output " + problem.get());
        }
        Path dataSet = modelFile.resolveSibling("test_data_set_0");
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            Path file = dataSet.resolve("input_" + i + ".pb");
            if (!Files.exists(file)) break;
            Optional<String> problem = unexchangeable(inputs.get(i));
            if (problem.isPresent()) return new Unreadable("input " + problem.get());
            try {
                TensorProto t = TensorProto.parseFrom(Files.readAllBytes(file));
                feeds.put(inputs.get(i).getName(), TensorProtos.toTensor(t, null));
            } catch (IOException | RuntimeException e) {
                return new Unreadable("input '" + inputs.get(i).getName() + "': " + e.getMessage());
            }
        }
        return new Readable(feeds);
    }

    private static Optional<String> unexchangeable(ValueInfoProto v) {
        TypeProto t = v.getType();
        if (!t.hasTensorType()) {
            return Optional.of("'" + v.getName() + "' is not a tensor (" + t.getValueCase() + ")");
        }
        int code = t.getTensorType().getElemType();
        if (DataType.fromOnnx(code).filter(EXCHANGEABLE::contains).isEmpty()) {
            return Optional.of("'" + v.getName() + "' has element type " + DataType.describe(code));
        }
        return Optional.empty();
    }

    /**
     * Empty when both runs gave the same outputs: same names, shapes, element types and bits, where any NaN equals
     * any NaN; otherwise the first difference in words.
     */
    public static Optional<String> difference(Map<String, Tensor> expected, Map<String, Tensor> actual) {
        if (!expected.keySet().equals(actual.keySet())) {
            return Optional.of("outputs " + expected.keySet() + " vs " + actual.keySet());
        }
        for (String name : expected.keySet()) {
            Tensor a = expected.get(name);
            Tensor b = actual.get(name);
            if (a.type() != b.type() || !Arrays.equals(a.shape(), b.shape())) {
                return Optional.of("output '" + name + "': " + a + " vs " + b);
            }
            if (!sameBits(a, b)) {
                return Optional.of("output '" + name + "' differs in value");
            }
        }
        return Optional.empty();
    }

    private static boolean sameBits(Tensor a, Tensor b) {
        if (Arrays.equals(a.bytes(), b.bytes())) return true;
        if (a.type() != DataType.FLOAT && a.type() != DataType.DOUBLE && a.type() != DataType.FLOAT16) return false;
        int width = a.type().byteWidth();
        ByteBuffer x = a.data();
        ByteBuffer y = b.data();
        for (int i = 0; i < a.size(); i++) {
            long p = bits(x, i, width);
            long q = bits(y, i, width);
            if (p != q && !(isNaN(a.type(), p) && isNaN(a.type(), q))) return false;
        }
        return true;
    }

    private static long bits(ByteBuffer b, int index, int width) {
        return switch (width) {
            case 2 -> b.getShort(index * 2);
            case 4 -> b.getInt(index * 4);
            default -> b.getLong(index * 8);
        };
    }

    private static boolean isNaN(DataType type, long bits) {
        return switch (type) {
            case FLOAT -> Float.isNaN(Float.intBitsToFloat((int) bits));
            case DOUBLE -> Double.isNaN(Double.longBitsToDouble(bits));
            default -> Float.isNaN(Float.float16ToFloat((short) bits));
        };
    }
}
