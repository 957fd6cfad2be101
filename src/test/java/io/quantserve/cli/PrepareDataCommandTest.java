package io.quantserve.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import io.quantserve.engine.calibration.data.NpzArchive;
import io.quantserve.engine.calibration.data.NpzWriter;
import io.quantserve.engine.onnx.ModelIo;
import io.quantserve.engine.tensor.DataType;
import io.quantserve.engine.tensor.Tensor;
import io.quantserve.testing.SampleModels;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.SequencedMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code prepare-data}: raw integer samples become the float input a model wants, or a refusal naming the misfit. */
class PrepareDataCommandTest {
    @TempDir
    Path tmp;

    private Path model;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void model() {
        // input x: f32[N, 2, 6, 6]
        model = tmp.resolve("m.onnx");
        ModelIo.save(SampleModels.allLayerKinds(), model);
    }

    @Test
    void scalesAndReshapesRawBytesToTheInput() {
        Path raw = raw(3, 72);
        Path prepared = tmp.resolve("calib.npz");

        int code = run(
                "--model",
                model.toString(),
                "--data",
                raw.toString(),
                "--mean",
                "127.5",
                "--std",
                "127.5",
                "--limit",
                "2",
                "--out",
                prepared.toString());

        assertThat(code).as(err.toString()).isZero();
        try (NpzArchive archive = NpzArchive.open(prepared)) {
            Tensor x = archive.read("x");
            assertThat(x.type()).isEqualTo(DataType.FLOAT);
            assertThat(x.shape()).containsExactly(2, 2, 6, 6);
            float[] v = x.toFloats();
            // raw value (i * 7) mod 256 at flat index i; float32 rounding of the double result is below 1e-6
            for (int i = 0; i < v.length; i++) {
                assertThat(v[i]).isCloseTo((float) (((i * 7) % 256 - 127.5) / 127.5), offset(1e-6f));
            }
        }
        assertThat(out.toString()).contains("\"input\" : \"x\"");
    }

    @Test
    void refusesSamplesOfAnotherSize() {
        int code = run(
                "--model",
                model.toString(),
                "--data",
                raw(3, 70).toString(),
                "--out",
                tmp.resolve("c.npz").toString());

        assertThat(code).isEqualTo(QuantServeCli.EXIT_REFUSED);
        assertThat(err.toString()).contains("70 values").contains("input 'x' wants [2, 6, 6]");
    }

    private int run(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "prepare-data";
        System.arraycopy(args, 0, all, 1, args.length);
        return QuantServeCli.execute(all, new PrintWriter(out), new PrintWriter(err));
    }

    /** {@code samples} rows of {@code width} uint8 values, value (i * 7) mod 256 at flat index i. */
    private Path raw(int samples, int width) {
        ByteBuffer b = ByteBuffer.allocate(samples * width).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < samples * width; i++) b.put((byte) (i * 7));
        b.flip();
        SequencedMap<String, Tensor> arrays = new LinkedHashMap<>();
        arrays.put("pixels", Tensor.ofBytes(DataType.UINT8, new long[] {samples, width}, b));
        Path file = tmp.resolve("raw-" + width + ".npz");
        NpzWriter.write(file, arrays, false);
        return file;
    }
}
