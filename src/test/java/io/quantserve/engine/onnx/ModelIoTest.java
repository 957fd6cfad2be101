package io.quantserve.engine.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quantserve.engine.InvalidModelException;
import io.quantserve.engine.onnx.proto.Onnx.StringStringEntryProto;
import io.quantserve.engine.onnx.proto.Onnx.TensorProto;
import io.quantserve.engine.runtime.InferenceSession;
import io.quantserve.engine.runtime.SessionSettings;
import io.quantserve.engine.tensor.Tensor;
import io.quantserve.testing.SharedFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelIoTest {
    @TempDir
    Path tmp;

    @Test
    void externalDataModelRoundTripsInlineAndExternalWithIdenticalOutputs() throws Exception {
        Path src = SharedFixtures.shared("models/mnist_extdata/mnist.onnx");
        OnnxModel model = ModelIo.load(src);
        int[] external = {0};
        ModelTensors.forEach(model.proto(), t -> {
            if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) external[0]++;
        });
        assertThat(external[0]).as("external tensors in the fixture").isPositive();

        Path inline = tmp.resolve("inline/m.onnx");
        ModelIo.save(model, inline);
        assertThat(Files.exists(tmp.resolve("inline/m.onnx.data"))).isFalse();

        Path ext = tmp.resolve("ext/m.onnx");
        ModelIo.save(model, ext, 1); // threshold 1 byte: every initializer goes external
        assertThat(Files.size(tmp.resolve("ext/m.onnx.data"))).isPositive();
        assertThat(Files.size(ext)).isLessThan(Files.size(inline));

        float[] input = new float[28 * 28];
        for (int i = 0; i < input.length; i++) input[i] = (i % 17) / 17f;
        Tensor x = Tensor.ofFloats(new long[] {1, 1, 28, 28}, input);
        float[] expected = run(src, x);
        assertThat(run(inline, x)).containsExactly(expected);
        assertThat(run(ext, x)).containsExactly(expected);
        // Re-loading the externally saved model and saving it inline again reproduces the inline bytes.
        Path again = tmp.resolve("again/m.onnx");
        ModelIo.save(ModelIo.load(ext), again);
        assertThat(run(again, x)).containsExactly(expected);
    }

    private static float[] run(Path model, Tensor x) {
        try (InferenceSession s = InferenceSession.open(model, SessionSettings.defaults())) {
            String in = s.inputs().getFirst().name();
            return s.run(Map.of(in, x)).values().iterator().next().toFloats();
        }
    }

    @Test
    void externalLocationsOutsideTheModelFolderAreRefused() throws Exception {
        Path secret = tmp.resolve("secret.bin");
        Files.write(secret, new byte[16]);
        Path dir = Files.createDirectories(tmp.resolve("model"));
        for (String location :
                new String[] {"../secret.bin", secret.toAbsolutePath().toString(), "a/../../secret.bin"}) {
            TensorProto t = TensorProto.newBuilder()
                    .setName("w")
                    .setDataType(1)
                    .addDims(4)
                    .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                    .addExternalData(StringStringEntryProto.newBuilder()
                            .setKey("location")
                            .setValue(location))
                    .build();
            assertThatThrownBy(() -> ExternalData.read(t, dir))
                    .isInstanceOf(InvalidModelException.class)
                    .hasMessageContaining(location);
        }
        Files.createSymbolicLink(dir.resolve("link.bin"), secret);
        TensorProto viaLink = TensorProto.newBuilder()
                .setName("w")
                .setDataType(1)
                .addDims(4)
                .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(
                        StringStringEntryProto.newBuilder().setKey("location").setValue("link.bin"))
                .build();
        assertThatThrownBy(() -> ExternalData.read(viaLink, dir)).hasMessageContaining("link");
    }

    @Test
    void garbageIsAClearInvalidModelError() throws Exception {
        Path bad = tmp.resolve("bad.onnx");
        Files.writeString(bad, "this is not a model");
        assertThatThrownBy(() -> ModelIo.load(bad)).isInstanceOf(InvalidModelException.class);
    }
}
