package io.quantserve.engine.calibration.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quantserve.engine.InvalidConfigException;
import io.quantserve.engine.InvalidDataException;
import io.quantserve.engine.runtime.InferenceSession;
import io.quantserve.engine.runtime.SessionSettings;
import io.quantserve.engine.runtime.ValueSpec;
import io.quantserve.engine.tensor.DataType;
import io.quantserve.engine.tensor.Tensor;
import io.quantserve.testing.SharedFixtures;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CalibrationDataTest {
    @TempDir
    Path tmp;

    @Test
    void npzArraysFeedModelInputsByNameInModelOrderAndExtraArraysAreIgnored() {
        float[] a = ramp(10 * 3, 0f);
        float[] b = ramp(10 * 3, 100f);
        SequencedMap<String, Tensor> arrays = new LinkedHashMap<>();
        arrays.put("b", Tensor.ofFloats(new long[] {10, 3}, b));
        arrays.put("labels", Tensor.ofLongs(new long[] {7}, new long[7]));
        arrays.put("a", Tensor.ofFloats(new long[] {10, 3}, a));
        Path file = npz("two.npz", arrays);
        try (InferenceSession session = TinyModels.addSession();
                CalibrationData data = CalibrationData.open(file)) {
            DataFit fit = data.check(session.inputs());
            assertThat(fit.sampleCount()).isEqualTo(10);
            assertThat(fit.sources())
                    .containsExactly(
                            new InputSource("a", "a", DataType.FLOAT, DataType.FLOAT),
                            new InputSource("b", "b", DataType.FLOAT, DataType.FLOAT));
            List<Float> sums = new ArrayList<>();
            try (BatchStream batches = data.batches(session.inputs(), new BatchPlan(4, 3))) {
                assertThat(batches.schedule().batches()).isEqualTo(3);
                List<Long> sizes = new ArrayList<>();
                while (batches.hasNext()) {
                    SequencedMap<String, Tensor> batch = batches.next();
                    assertThat(batch.sequencedKeySet()).containsExactly("a", "b");
                    sizes.add(batch.get("a").dim(0));
                    for (float v : session.run(batch).get("c").toFloats()) sums.add(v);
                }
                assertThat(sizes).containsExactly(4L, 4L, 2L);
            }
            for (int i = 0; i < 30; i++) {
                assertThat(sums.get(i)).as("c[%d]", i).isEqualTo(a[i] + b[i]);
            }
        }
    }

    @Test
    void shortDataUsesWhatExistsAndSaysSo() {
        Path file = npz("x.npz", Map.of("x", Tensor.ofFloats(new long[] {10, 3}, new float[30])));
        try (CalibrationData data = CalibrationData.open(file);
                BatchStream s = data.batches(specs("x", DataType.FLOAT, -1, 3), new BatchPlan(4, 5))) {
            BatchSchedule plan = s.schedule();
            assertThat(plan).isEqualTo(new BatchSchedule(4, 5, 10, 3, 10));
            assertThat(plan.isShort()).isTrue();
            assertThat(plan.lastBatchSize()).isEqualTo(2);
            assertThat(plan.summary())
                    .isEqualTo("asked for 5 batches of 4 (20 samples) but the data holds 10: running 3 batches of 4"
                            + " (last 2), 10 samples");
            assertThat(count(s)).isEqualTo(3);
        }
        try (CalibrationData data = CalibrationData.open(file);
                BatchStream s = data.batches(specs("x", DataType.FLOAT, -1, 3), new BatchPlan(5, 2))) {
            assertThat(s.schedule().isShort()).isFalse();
            assertThat(s.schedule().summary()).isEqualTo("2 batches of 5, 10 samples");
        }
    }

    @Test
    void singleArrayFeedsASingleInputModelWhateverItsKey() throws Exception {
        Tensor t = Tensor.ofFloats(new long[] {2, 3}, ramp(6, 1f));
        Path npz = npz("any.npz", Map.of("images", t));
        Path npy = tmp.resolve("images.npy");
        NpyWriter.write(npy, t);
        for (Path file : List.of(npz, npy)) {
            try (CalibrationData data = CalibrationData.open(file)) {
                assertThat(data.check(specs("pixel_values", DataType.FLOAT, -1, 3))
                                .sources())
                        .containsExactly(new InputSource("pixel_values", "images", DataType.FLOAT, DataType.FLOAT));
                try (BatchStream s = data.batches(specs("pixel_values", DataType.FLOAT, -1, 3), new BatchPlan(2, 1))) {
                    assertThat(s.next().get("pixel_values").toFloats()).containsExactly(t.toFloats());
                }
            }
        }
        try (CalibrationData data = CalibrationData.open(npy)) {
            List<ValueSpec> two = List.of(
                    new ValueSpec("a", DataType.FLOAT, new long[] {-1, 3}),
                    new ValueSpec("b", DataType.FLOAT, new long[] {-1, 3}));
            assertThatThrownBy(() -> data.check(two))
                    .isInstanceOf(InvalidDataException.class)
                    .hasMessageContaining("no array for model input 'a'");
        }
    }

    @Test
    void missingInputIsNamedWithTheAvailableArrays() {
        Path file = SharedFixtures.shared("data/mnist.npz");
        try (CalibrationData data = CalibrationData.open(file)) {
            assertThatThrownBy(() -> data.check(specs("input", DataType.UINT8, -1, 28, 28)))
                    .isInstanceOf(InvalidDataException.class)
                    .hasMessageContaining("no array for model input 'input'")
                    .hasMessageContaining("calib:uint8[256, 28, 28]")
                    .hasMessageContaining("test_labels:uint8[10000]");
        }
    }

    @Test
    void wrongShapeNamesInputExpectedAndActualShape() {
        Path file = npz("img.npz", Map.of("input", Tensor.ofFloats(new long[] {4, 28, 28}, new float[4 * 784])));
        try (CalibrationData data = CalibrationData.open(file)) {
            assertThatThrownBy(() -> data.check(specs("input", DataType.FLOAT, -1, 1, 28, 28)))
                    .isInstanceOf(InvalidDataException.class)
                    .hasMessageContaining("model input 'input' expects shape [N, 1, 28, 28]")
                    .hasMessageContaining("array 'input' has shape [4, 28, 28]");
            assertThatThrownBy(() -> data.check(specs("input", DataType.FLOAT, -1, 28, 27)))
                    .isInstanceOf(InvalidDataException.class)
                    .hasMessageContaining("expects shape [N, 28, 27]");
            // Symbolic dims accept anything.
            assertThat(data.check(specs("input", DataType.FLOAT, -1, -1, 28)).sampleCount())
                    .isEqualTo(4);
        }
    }

    @Test
    void differingSampleCountsAndZeroSamplesAreRefused() {
        SequencedMap<String, Tensor> arrays = new LinkedHashMap<>();
        arrays.put("a", Tensor.ofFloats(new long[] {5, 3}, new float[15]));
        arrays.put("b", Tensor.ofFloats(new long[] {4, 3}, new float[12]));
        try (CalibrationData data = CalibrationData.open(npz("uneven.npz", arrays))) {
            assertThatThrownBy(() -> data.check(List.of(
                            new ValueSpec("a", DataType.FLOAT, new long[] {-1, 3}),
                            new ValueSpec("b", DataType.FLOAT, new long[] {-1, 3}))))
                    .isInstanceOf(InvalidDataException.class)
                    .hasMessageContaining("same number of samples")
                    .hasMessageContaining("a <- 'a' 5")
                    .hasMessageContaining("b <- 'b' 4");
            assertThat(data.describe().sampleCount()).isEmpty();
        }
        try (CalibrationData data =
                CalibrationData.open(npz("empty.npz", Map.of("x", Tensor.ofFloats(new long[] {0, 3}, new float[0]))))) {
            assertThat(data.describe().sampleCount()).hasValue(0);
            assertThatThrownBy(() -> data.batches(specs("x", DataType.FLOAT, -1, 3), new BatchPlan(8, 1)))
                    .isInstanceOf(InvalidDataException.class)
                    .hasMessageContaining("no samples");
        }
    }

    @Test
    void integerDataForAFloatInputIsRefusedWithAConversionHint() {
        byte[] pixels = new byte[2 * 4];
        Path file =
                npz("u8.npz", Map.of("x", Tensor.ofBytes(DataType.UINT8, new long[] {2, 4}, ByteBuffer.wrap(pixels))));
        try (CalibrationData data = CalibrationData.open(file)) {
            assertThatThrownBy(() -> data.check(specs("x", DataType.FLOAT, -1, 4)))
                    .isInstanceOf(InvalidDataException.class)
                    .hasMessageContaining("model input 'x' takes float32 but array 'x' holds uint8")
                    .hasMessageContaining("preprocess")
                    .hasMessageContaining("astype(np.float32)");
        }
        try (CalibrationData data =
                CalibrationData.open(npz("f.npz", Map.of("ids", Tensor.ofFloats(new long[] {1, 2}, new float[2]))))) {
            assertThatThrownBy(() -> data.check(specs("ids", DataType.INT64, -1, 2)))
                    .isInstanceOf(InvalidDataException.class)
                    .hasMessageContaining("model input 'ids' takes int64 but array 'ids' holds float32");
        }
    }

    @Test
    void float64ConvertsToFloat32AndIntegersWidenLosslessly() {
        SequencedMap<String, Tensor> arrays = new LinkedHashMap<>();
        arrays.put("x", doubles(new long[] {2, 2}, 0.1, -2.5, 1e-3, 3.0));
        arrays.put("ids", Tensor.ofInts(new long[] {2, 2}, new int[] {1, -2, Integer.MAX_VALUE, 0}));
        List<ValueSpec> inputs = List.of(
                new ValueSpec("x", DataType.FLOAT, new long[] {-1, 2}),
                new ValueSpec("ids", DataType.INT64, new long[] {-1, 2}));
        try (CalibrationData data = CalibrationData.open(npz("conv.npz", arrays));
                BatchStream s = data.batches(inputs, new BatchPlan(2, 1))) {
            assertThat(data.check(inputs).sources())
                    .extracting(InputSource::converted)
                    .containsExactly(true, true);
            SequencedMap<String, Tensor> batch = s.next();
            assertThat(batch.get("x").type()).isEqualTo(DataType.FLOAT);
            assertThat(batch.get("x").toFloats()).containsExactly(0.1f, -2.5f, 1e-3f, 3.0f);
            assertThat(batch.get("ids").type()).isEqualTo(DataType.INT64);
            assertThat(batch.get("ids").toLongs()).containsExactly(1, -2, Integer.MAX_VALUE, 0);
        }
        try (CalibrationData data =
                        CalibrationData.open(npz("huge.npz", Map.of("x", doubles(new long[] {3, 1}, 1, 2, 1e300))));
                BatchStream s = data.batches(specs("x", DataType.FLOAT, -1, 1), new BatchPlan(3, 1))) {
            assertThatThrownBy(s::next)
                    .isInstanceOf(InvalidDataException.class)
                    .hasMessageContaining("model input 'x' (array 'x'): sample 2 holds 1.0E300")
                    .hasMessageContaining("outside the range of float32");
        }
    }

    @Test
    void nanAndInfinityAreReportedWithInputAndSampleWhileStreaming() {
        float[] values = ramp(8 * 2, 0f);
        values[5 * 2 + 1] = Float.NaN;
        Path file = npz("nan.npz", Map.of("x", Tensor.ofFloats(new long[] {8, 2}, values)));
        try (CalibrationData data = CalibrationData.open(file)) {
            // Headers only: neither describe nor check reads the payload.
            assertThat(data.describe().sampleCount()).hasValue(8);
            assertThat(data.check(specs("x", DataType.FLOAT, -1, 2)).sampleCount())
                    .isEqualTo(8);
            try (BatchStream s = data.batches(specs("x", DataType.FLOAT, -1, 2), new BatchPlan(3, 3))) {
                assertThat(s.next().get("x").dim(0)).isEqualTo(3);
                assertThatThrownBy(s::next)
                        .isInstanceOf(InvalidDataException.class)
                        .hasMessage("model input 'x' (array 'x'): sample 5 holds NaN (element 1 of the sample);"
                                + " calibration data must be finite");
            }
        }
        Path inf = npz("inf.npz", Map.of("y", doubles(new long[] {3}, 1, Double.NEGATIVE_INFINITY, 2)));
        try (CalibrationData data = CalibrationData.open(inf);
                BatchStream s = data.batches(specs("y", DataType.FLOAT, -1), new BatchPlan(4, 1))) {
            assertThatThrownBy(s::next)
                    .isInstanceOf(InvalidDataException.class)
                    .hasMessageContaining("model input 'y' (array 'y'): sample 1 holds -inf");
        }
    }

    @Test
    void differentBatchSizesConcatenateToTheSameSamples() {
        Tensor x = doubles(new long[] {10, 3}, toDoubles(ramp(30, -7f)));
        Path file = npz("order.npz", Map.of("x", x));
        List<byte[]> runs = new ArrayList<>();
        try (CalibrationData data = CalibrationData.open(file)) {
            for (int size : new int[] {1, 3, 4, 7, 10}) {
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                try (BatchStream s = data.batches(specs("x", DataType.FLOAT, -1, 3), new BatchPlan(size, 100))) {
                    s.forEachRemaining(b -> all.writeBytes(b.get("x").bytes()));
                }
                runs.add(all.toByteArray());
            }
        }
        assertThat(runs.getFirst()).hasSize(10 * 3 * 4);
        assertThat(runs).allSatisfy(r -> assertThat(r).isEqualTo(runs.getFirst()));
    }

    @Test
    void fixedBatchDimensionNeedsThatBatchSizeAndDropsAPartialBatch() {
        Path file = npz("fixed.npz", Map.of("x", Tensor.ofFloats(new long[] {5, 3}, ramp(15, 0f))));
        List<ValueSpec> fixed2 = specs("x", DataType.FLOAT, 2, 3);
        try (CalibrationData data = CalibrationData.open(file)) {
            assertThatThrownBy(() -> data.batches(fixed2, new BatchPlan(4, 1)))
                    .isInstanceOf(InvalidConfigException.class)
                    .hasMessageContaining("model input 'x' has a fixed batch dimension of 2; use batch size 2");
            try (BatchStream s = data.batches(fixed2, new BatchPlan(2, 10))) {
                assertThat(s.schedule()).isEqualTo(new BatchSchedule(2, 10, 5, 2, 4));
                assertThat(count(s)).isEqualTo(2);
            }
            assertThatThrownBy(() -> data.batches(specs("x", DataType.FLOAT, 8, 3), new BatchPlan(8, 1)))
                    .isInstanceOf(InvalidDataException.class)
                    .hasMessageContaining("holds 5 samples, fewer than one batch of 8");
        }
    }

    @Test
    void describeListsArraysWithoutReadingPayloads() {
        try (CalibrationData data = CalibrationData.open(SharedFixtures.shared("data/mnist.npz"))) {
            DatasetDescription d = data.describe();
            assertThat(d.format()).isEqualTo(DataFormat.NPZ);
            assertThat(d.arrays())
                    .extracting(ArrayInfo::toString)
                    .containsExactly(
                            "calib:uint8[256, 28, 28]", "test:uint8[10000, 28, 28]", "test_labels:uint8[10000]");
            assertThat(d.sampleCount()).isEmpty();
        }
        SequencedMap<String, Tensor> arrays = new LinkedHashMap<>();
        arrays.put("a", Tensor.ofFloats(new long[] {3, 2}, new float[6]));
        arrays.put("b", Tensor.ofLongs(new long[] {3}, new long[3]));
        try (CalibrationData data = CalibrationData.open(npz("same.npz", arrays))) {
            assertThat(data.describe().sampleCount()).hasValue(3);
        }
    }

    @Test
    void openTellsFormatsApartByContent() throws Exception {
        Path npzNamedBin = tmp.resolve("upload.bin");
        NpzWriter.write(
                npzNamedBin, new LinkedHashMap<>(Map.of("x", Tensor.ofFloats(new long[] {1}, new float[1]))), true);
        Path npyNamedDat = tmp.resolve("upload.dat");
        NpyWriter.write(npyNamedDat, Tensor.ofFloats(new long[] {1}, new float[1]));
        try (CalibrationData a = CalibrationData.open(npzNamedBin);
                CalibrationData b = CalibrationData.open(npyNamedDat)) {
            assertThat(a.describe().format()).isEqualTo(DataFormat.NPZ);
            assertThat(b.describe().format()).isEqualTo(DataFormat.NPY);
        }
        Path text = Files.writeString(tmp.resolve("notes.txt"), "hello world");
        assertThatThrownBy(() -> CalibrationData.open(text))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("neither");
        assertThatThrownBy(() -> CalibrationData.open(tmp.resolve("absent.npz")))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void preprocessedMnistFeedsTheMnistCnnBatchByBatch() {
        Path model = SharedFixtures.shared("models/mnist_cnn.onnx");
        Path mnist = SharedFixtures.shared("data/mnist.npz");
        Tensor calib;
        try (NpzArchive npz = NpzArchive.open(mnist);
                NpyRowReader rows = npz.rows("calib")) {
            calib = rows.next(100);
        }
        float[] x = calib.toFloats();
        for (int i = 0; i < x.length; i++) x[i] = (x[i] / 255f - 0.5f) / 0.5f;
        Path file = npz("mnist_f32.npz", Map.of("input", Tensor.ofFloats(new long[] {100, 1, 28, 28}, x)));
        try (InferenceSession session = InferenceSession.open(model, SessionSettings.defaults());
                CalibrationData data = CalibrationData.open(file);
                BatchStream s = data.batches(session.inputs(), new BatchPlan(64, 2))) {
            assertThat(s.schedule().summary()).contains("running 2 batches of 64 (last 36), 100 samples");
            List<long[]> shapes = new ArrayList<>();
            while (s.hasNext()) {
                Tensor logits = session.run(s.next()).values().iterator().next();
                shapes.add(logits.shape());
                for (float v : logits.toFloats()) assertThat(Float.isFinite(v)).isTrue();
            }
            assertThat(shapes).containsExactly(new long[] {64, 10}, new long[] {36, 10});
        }
    }

    private Path npz(String name, Map<String, Tensor> arrays) {
        Path file = tmp.resolve(name);
        NpzWriter.write(file, new LinkedHashMap<>(arrays), true);
        return file;
    }

    private static List<ValueSpec> specs(String name, DataType type, long... shape) {
        return List.of(new ValueSpec(name, type, shape));
    }

    private static int count(BatchStream s) {
        int n = 0;
        while (s.hasNext()) {
            s.next();
            n++;
        }
        return n;
    }

    private static float[] ramp(int n, float start) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) out[i] = start + i * 0.25f;
        return out;
    }

    private static double[] toDoubles(float[] f) {
        double[] out = new double[f.length];
        for (int i = 0; i < f.length; i++) out[i] = f[i] + 1e-9;
        return out;
    }

    private static Tensor doubles(long[] shape, double... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) b.putDouble(v);
        b.flip();
        return Tensor.ofBytes(DataType.DOUBLE, shape, b);
    }
}
