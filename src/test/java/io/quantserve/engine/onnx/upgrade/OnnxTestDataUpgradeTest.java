package io.quantserve.engine.onnx.upgrade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import io.quantserve.engine.InvalidDataException;
import io.quantserve.engine.InvalidModelException;
import io.quantserve.engine.RuntimeFailureException;
import io.quantserve.engine.onnx.ModelIo;
import io.quantserve.engine.onnx.OnnxModel;
import io.quantserve.engine.onnx.TensorProtos;
import io.quantserve.engine.onnx.proto.Onnx.ModelProto;
import io.quantserve.engine.onnx.proto.Onnx.TensorProto;
import io.quantserve.engine.onnx.proto.Onnx.ValueInfoProto;
import io.quantserve.engine.runtime.InferenceSession;
import io.quantserve.engine.runtime.SessionSettings;
import io.quantserve.engine.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every model of the Debian libonnx-testdata folders {@code node/} (one operator each), {@code pytorch-operator/},
 * {@code pytorch-converted/} and {@code simple/} whose model imports an ai.onnx opset below 13: upgraded to 13, both models run in ONNX Runtime on the shipped inputs, and the outputs compared.
 * A model the upgrader refuses must be refused with an {@link InvalidModelException} and be one of
 * {@link #EXPECTED_REFUSALS}; models ONNX Runtime cannot run as shipped (or whose inputs the engine cannot
 * feed) are skipped with the reason. A summary is printed at the end.
 */
class OnnxTestDataUpgradeTest {
    private static final Path TEST_DATA = Path.of("/usr/share/libonnx-testdata/data");
    private static final List<String> FOLDERS = List.of("node", "pytorch-operator", "pytorch-converted", "simple");
    private static final int TARGET = 13;
    /** Relative to each output's largest magnitude; the rewrites are exact, this only absorbs float reordering. */
    private static final double TOLERANCE = 1e-6;
    /** Operator versions that have no exact equivalent at opset 13, by the model testing each: Scan-8. */
    private static final Set<String> EXPECTED_REFUSALS = Set.of("node/test_scan_sum");

    /** Reference outputs: the ONNX backend test tolerance is 1e-3 relative; these are float32 rewrites. */
    private static final double REFERENCE_RTOL = 1e-4;

    private static final double REFERENCE_ATOL = 1e-6;

    private static final AtomicInteger PASSED = new AtomicInteger();
    private static final AtomicInteger PASSED_AGAINST_REFERENCE = new AtomicInteger();
    private static final Map<String, String> REFUSED = new ConcurrentHashMap<>();
    private static final Map<String, String> NOT_RUNNABLE = new ConcurrentHashMap<>();

    static Stream<String> lowOpsetModels() throws IOException {
        List<String> names = new ArrayList<>();
        for (String folder : FOLDERS) {
            if (!Files.isDirectory(TEST_DATA.resolve(folder))) continue;
            try (Stream<Path> dirs = Files.list(TEST_DATA.resolve(folder))) {
                for (Path dir : dirs.sorted().toList()) {
                    Path model = dir.resolve("model.onnx");
                    if (!Files.isRegularFile(model)) continue;
                    ModelProto proto = read(model);
                    boolean importsDefault = proto.getOpsetImportList().stream()
                            .anyMatch(o ->
                                    o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx"));
                    if (importsDefault && OnnxModel.opset(proto) < TARGET) {
                        names.add(folder + "/" + dir.getFileName());
                    }
                }
            }
        }
        return names.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lowOpsetModels")
    void upgradedModelComputesWhatTheOriginalComputes(String test) throws IOException {
        Path dir = TEST_DATA.resolve(test);
        ModelProto original = read(dir.resolve("model.onnx"));
        ModelProto upgraded;
        try {
            upgraded = OpsetUpgrader.upgrade(original, TARGET);
        } catch (InvalidModelException e) {
            REFUSED.put(test, e.getMessage());
            if (!EXPECTED_REFUSALS.contains(test)) fail("unexpected refusal of " + test + ": " + e.getMessage());
            abort("refused as expected: " + e.getMessage());
            return;
        }
        assertThat(EXPECTED_REFUSALS).as("expected to be refused").doesNotContain(test);
        assertThat(OnnxModel.opset(upgraded)).isEqualTo(TARGET);

        Map<String, Tensor> feeds = feeds(dir, original);
        UpgradeCheck.Result result;
        try {
            result = UpgradeCheck.compare(original, upgraded, feeds);
        } catch (RuntimeFailureException | InvalidDataException e) {
            if (e.getMessage().contains("the upgraded model")) throw e;
            if (!e.getMessage().contains("Could not find an implementation")) {
                NOT_RUNNABLE.put(test, e.getMessage());
                abort("ONNX Runtime cannot run the original: " + e.getMessage());
            }
            // ONNX Runtime has no kernel for an operator version of the original (opset 1-6 ops): the upgrade
            // must run and reproduce the reference outputs shipped with the test, unless the very same kernel
            // is missing for it too.
            String missing = e.getMessage().substring(e.getMessage().indexOf("Could not find an implementation"));
            try {
                assertMatchesReference(test, upgraded, feeds, dir);
            } catch (RuntimeFailureException upgradedFailure) {
                if (!upgradedFailure.getMessage().contains(missing)) throw upgradedFailure;
                NOT_RUNNABLE.put(test, e.getMessage());
                abort("ONNX Runtime has no kernel for either model: " + missing);
            }
            PASSED_AGAINST_REFERENCE.incrementAndGet();
            return;
        }
        assertThat(result.maxScaledDifference())
                .as(
                        "%s: max |upgraded - original| / max |original| (worst output %s, abs %s)",
                        test, result.worstOutput(), result.maxAbsDifference())
                .isLessThanOrEqualTo(TOLERANCE);
        PASSED.incrementAndGet();
    }

    @AfterAll
    static void summary() {
        System.out.printf(
                "libonnx-testdata %s models below opset %d: %d equal to the original in ONNX Runtime, %d equal to the"
                        + " shipped reference outputs (original not loadable), %d refused, %d not runnable%n",
                FOLDERS, TARGET, PASSED.get(), PASSED_AGAINST_REFERENCE.get(), REFUSED.size(), NOT_RUNNABLE.size());
        new TreeMap<>(REFUSED).forEach((k, v) -> System.out.println("  refused " + k + ": " + v));
        new TreeMap<>(NOT_RUNNABLE).forEach((k, v) -> System.out.println("  not runnable " + k + ": " + v));
    }

    private static void assertMatchesReference(String test, ModelProto upgraded, Map<String, Tensor> feeds, Path dir)
            throws IOException {
        Map<String, Tensor> actual;
        try (InferenceSession session =
                InferenceSession.open(upgraded.toByteArray(), "the upgraded " + test, SessionSettings.unoptimized())) {
            actual = session.run(feeds);
        }
        Path data = dir.resolve("test_data_set_0");
        List<ValueInfoProto> outputs = upgraded.getGraph().getOutputList();
        int compared = 0;
        for (int i = 0; Files.exists(data.resolve("output_" + i + ".pb")); i++) {
            TensorProto t;
            try (InputStream in = Files.newInputStream(data.resolve("output_" + i + ".pb"))) {
                t = TensorProto.parseFrom(in);
            }
            String name = t.getName().isEmpty() ? outputs.get(i).getName() : t.getName();
            Tensor expected = TensorProtos.toTensor(t, null);
            Tensor got = actual.get(name);
            assertThat(got).as("%s output %s", test, name).isNotNull();
            assertThat(got.shape()).as("%s output %s shape", test, name).containsExactly(expected.shape());
            float[] e = expected.toFloats();
            float[] g = got.toFloats();
            for (int k = 0; k < e.length; k++) {
                if (!Float.isFinite(e[k])) {
                    assertThat(Float.valueOf(g[k]))
                            .as("%s output %s element %d", test, name, k)
                            .isEqualTo(Float.valueOf(e[k]));
                    continue;
                }
                assertThat((double) g[k])
                        .as("%s output %s element %d", test, name, k)
                        .isCloseTo(
                                e[k],
                                org.assertj.core.data.Offset.offset(REFERENCE_ATOL + REFERENCE_RTOL * Math.abs(e[k])));
            }
            compared++;
        }
        assertThat(compared).as("%s reference outputs", test).isPositive();
    }

    /** The first data set's inputs, by name (or by position among the graph inputs that are not initializers). */
    private static Map<String, Tensor> feeds(Path dir, ModelProto model) throws IOException {
        Path data = dir.resolve("test_data_set_0");
        Set<String> initializers = new java.util.HashSet<>();
        model.getGraph().getInitializerList().forEach(t -> initializers.add(t.getName()));
        List<String> inputs = model.getGraph().getInputList().stream()
                .map(ValueInfoProto::getName)
                .filter(n -> !initializers.contains(n))
                .toList();
        for (ValueInfoProto v : model.getGraph().getInputList()) {
            if (!v.getType().hasTensorType()) {
                NOT_RUNNABLE.put(TEST_DATA.relativize(dir).toString(), "input " + v.getName() + " is not a tensor");
                abort("input " + v.getName() + " is not a tensor ("
                        + v.getType().getValueCase() + ")");
            }
        }
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        for (int i = 0; Files.exists(data.resolve("input_" + i + ".pb")); i++) {
            TensorProto t;
            try (InputStream in = Files.newInputStream(data.resolve("input_" + i + ".pb"))) {
                t = TensorProto.parseFrom(in);
            }
            String name = t.getName().isEmpty() ? inputs.get(i) : t.getName();
            try {
                feeds.put(name, TensorProtos.toTensor(t, null));
            } catch (InvalidModelException | IllegalArgumentException e) {
                NOT_RUNNABLE.put(TEST_DATA.relativize(dir).toString(), "input " + name + ": " + e.getMessage());
                abort("input " + name + " cannot be fed: " + e.getMessage());
            }
        }
        return feeds;
    }

    private static ModelProto read(Path model) {
        try (InputStream in = Files.newInputStream(model)) {
            return ModelIo.parse(in, model.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
