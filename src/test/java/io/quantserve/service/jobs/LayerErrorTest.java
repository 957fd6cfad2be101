package io.quantserve.service.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.quantserve.engine.onnx.ModelIo;
import io.quantserve.engine.onnx.proto.Onnx.ModelProto;
import io.quantserve.engine.onnx.proto.Onnx.NodeProto;
import io.quantserve.engine.onnx.proto.Onnx.TensorProto;
import io.quantserve.service.support.JobTest;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** A job the engine fails on one layer names that layer in the job's error. */
class LayerErrorTest extends JobTest {
    private static final String LAYER = "/fc2/Gemm";

    @TempDir
    Path tmp;

    @Test
    void aNanWeightFailsTheJobNamingTheLayer() throws Exception {
        TenantKey t = newTenant("layer-error");
        UUID model = upload(t, "/v1/models?name=nan.onnx", mnistWithNanWeightIn(LAYER));
        UUID id = createJob(t, json(model, uploadCalibration(t, 16), "\"batch_size\":16"));

        JsonNode job = awaitTerminal(t, id, Duration.ofMinutes(2));

        assertThat(job.get("state").asString()).as(job.toString()).isEqualTo("FAILED");
        JsonNode error = job.get("error");
        assertThat(error.get("code").asString()).isEqualTo("non-finite-weight");
        assertThat(error.get("layer").asString()).isEqualTo(LAYER);
        assertThat(error.get("stage").asString()).isEqualTo("weights");
        assertThat(error.get("message").asString()).contains("'" + LAYER + "'").contains("NaN");
        assertThat(job.get("attempts").asInt())
                .as("refused input is not retried")
                .isEqualTo(1);
        assertThat(t.client()
                        .get("/v1/jobs/" + id + "/artifacts")
                        .json()
                        .get("items")
                        .size())
                .isZero();
    }

    /** The MNIST CNN with the first element of {@code layer}'s weight set to NaN. */
    private Path mnistWithNanWeightIn(String layer) throws Exception {
        ModelProto mnist;
        try (InputStream in = Files.newInputStream(mnist())) {
            mnist = ModelIo.parse(in, "mnist");
        }
        String weight = mnist.getGraph().getNodeList().stream()
                .filter(n -> n.getName().equals(layer))
                .map(NodeProto::getInputList)
                .findFirst()
                .orElseThrow()
                .get(1);
        ModelProto.Builder b = mnist.toBuilder();
        for (TensorProto.Builder init : b.getGraphBuilder().getInitializerBuilderList()) {
            if (!init.getName().equals(weight)) continue;
            if (init.getFloatDataCount() > 0) {
                init.setFloatData(0, Float.NaN);
            } else {
                ByteBuffer raw = init.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                ByteBuffer copy = ByteBuffer.allocate(raw.remaining()).order(ByteOrder.LITTLE_ENDIAN);
                copy.put(raw).flip();
                copy.putFloat(0, Float.NaN);
                init.setRawData(ByteString.copyFrom(copy));
            }
        }
        Path file = tmp.resolve("nan.onnx");
        try (OutputStream out = Files.newOutputStream(file)) {
            b.build().writeTo(out);
        }
        return file;
    }
}
