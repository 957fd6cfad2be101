package io.quantserve.engine.calibration.data;

import io.quantserve.engine.InvalidDataException;
import io.quantserve.engine.InvalidModelException;
import io.quantserve.engine.onnx.TensorProtos;
import io.quantserve.engine.onnx.proto.Onnx.TensorProto;
import io.quantserve.engine.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * An ONNX Runtime test-data folder: {@code test_data_set_0/}, {@code test_data_set_1/}, … (numeric order), each
 * holding {@code input_0.pb}, {@code input_1.pb}, … — serialized {@code TensorProto}s in model input order. A folder
 * that holds {@code input_<k>.pb} files itself is read as one set. Opening reads every tensor's type and dims but no
 * payload; {@link #readSet} decodes one set.
 */
public final class OnnxTestDataFolder {
    private static final Pattern SET = Pattern.compile("test_data_set_(\\d+)");
    private static final Pattern INPUT = Pattern.compile("input_(\\d+)\\.pb");

    private final Path folder;
    private final List<Path> sets;
    private final List<List<ArrayInfo>> inputs;

    private OnnxTestDataFolder(Path folder, List<Path> sets, List<List<ArrayInfo>> inputs) {
        this.folder = folder;
        this.sets = sets;
        this.inputs = inputs;
    }

    /**
     * Lists the sets and reads the header of every input tensor.
     *
     * @throws InvalidDataException when the folder holds no set, a set has no inputs or a gap in its numbering, or
     *     a file is not a TensorProto of a supported type
     */
    public static OnnxTestDataFolder open(Path folder) {
        TreeMap<Integer, Path> numbered = numbered(folder, SET, true);
        List<Path> sets = new ArrayList<>(numbered.values());
        if (sets.isEmpty() && !numbered(folder, INPUT, false).isEmpty()) {
            sets.add(folder);
        }
        if (sets.isEmpty()) {
            throw new InvalidDataException(
                    "'" + folder + "' holds no test_data_set_<i> folder and no input_<k>.pb file");
        }
        List<List<ArrayInfo>> inputs = new ArrayList<>();
        for (Path set : sets) {
            TreeMap<Integer, Path> files = numbered(set, INPUT, false);
            if (files.isEmpty()) {
                throw new InvalidDataException("'" + set + "' holds no input_<k>.pb file");
            }
            List<ArrayInfo> infos = new ArrayList<>();
            int k = 0;
            for (var e : files.entrySet()) {
                if (e.getKey() != k) {
                    throw new InvalidDataException(
                            "'" + set + "' has input_" + e.getKey() + ".pb but no input_" + k + ".pb");
                }
                infos.add(TensorProtoHeader.read(e.getValue(), label(set, folder, k)));
                k++;
            }
            inputs.add(List.copyOf(infos));
        }
        return new OnnxTestDataFolder(folder, List.copyOf(sets), List.copyOf(inputs));
    }

    private static String label(Path set, Path folder, int k) {
        String prefix = set.equals(folder) ? "" : set.getFileName() + "/";
        return prefix + "input_" + k;
    }

    private static TreeMap<Integer, Path> numbered(Path dir, Pattern pattern, boolean directories) {
        TreeMap<Integer, Path> out = new TreeMap<>(Comparator.naturalOrder());
        try (Stream<Path> children = Files.list(dir)) {
            for (Path p : children.toList()) {
                Matcher m = pattern.matcher(p.getFileName().toString());
                if (m.matches() && Files.isDirectory(p) == directories) {
                    int n;
                    try {
                        n = Integer.parseInt(m.group(1));
                    } catch (NumberFormatException e) {
                        throw new InvalidDataException("'" + p + "' has an out-of-range number in its name");
                    }
                    Path other = out.putIfAbsent(n, p);
                    if (other != null) {
                        throw new InvalidDataException("'" + p + "' and '" + other + "' carry the same number");
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + dir, e);
        }
        return out;
    }

    public Path folder() {
        return folder;
    }

    public int setCount() {
        return sets.size();
    }

    /** The type and shape of each input of set {@code index}, in input order, named {@code test_data_set_<i>/input_<k>}. */
    public List<ArrayInfo> inputs(int index) {
        return inputs.get(index);
    }

    /** Every input of every set, in set then input order. */
    public List<ArrayInfo> allInputs() {
        return inputs.stream().flatMap(List::stream).toList();
    }

    /**
     * Decodes the tensors of set {@code index} in input order.
     *
     * @throws InvalidDataException when a file cannot be decoded, naming it
     */
    public List<Tensor> readSet(int index) {
        Path set = sets.get(index);
        List<Tensor> out = new ArrayList<>();
        for (ArrayInfo info : inputs.get(index)) {
            Path file = set.resolve(info.name().substring(info.name().lastIndexOf('/') + 1) + ".pb");
            try (InputStream in = Files.newInputStream(file)) {
                out.add(TensorProtos.toTensor(TensorProto.parseFrom(in), set));
            } catch (InvalidModelException e) {
                throw new InvalidDataException("'" + info.name() + "' (" + file + "): " + e.getMessage(), e);
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                throw new InvalidDataException(
                        "'" + info.name() + "' (" + file + ") is not a serialized TensorProto: " + e.getMessage(), e);
            } catch (IOException e) {
                throw new UncheckedIOException("reading " + file, e);
            }
        }
        return out;
    }
}
