package io.quantserve.engine.calibration;

import static org.assertj.core.api.Assertions.assertThat;

import io.quantserve.engine.runtime.ValueSpec;
import io.quantserve.engine.tensor.DataType;
import io.quantserve.engine.tensor.Tensor;
import io.quantserve.testing.TinyModel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SampleChunksTest {
    private static final ValueSpec X = new ValueSpec("x", DataType.FLOAT, new long[] {-1, 3});
    private static final ValueSpec M = new ValueSpec("m", DataType.FLOAT, new long[] {-1, 2});

    private static Map<String, Tensor> feed(long rows) {
        Map<String, Tensor> f = new LinkedHashMap<>();
        f.put("x", TinyModel.random(1, -1, 1, rows, 3));
        f.put("m", TinyModel.random(2, -1, 1, rows, 2));
        return f;
    }

    @Test
    void splitsAlongTheSampleAxisKeepingOrder() {
        Map<String, Tensor> f = feed(10);
        List<Map<String, Tensor>> runs = SampleChunks.split(f, List.of(X, M), 4);

        assertThat(runs).extracting(r -> r.get("x").dim(0)).containsExactly(4L, 4L, 2L);
        assertThat(runs)
                .allSatisfy(
                        r -> assertThat(r.get("m").dim(0)).isEqualTo(r.get("x").dim(0)));
        float[] joined = new float[30];
        int at = 0;
        for (Map<String, Tensor> r : runs) {
            float[] part = r.get("x").toFloats();
            System.arraycopy(part, 0, joined, at, part.length);
            at += part.length;
        }
        assertThat(joined).containsExactly(f.get("x").toFloats());
    }

    @Test
    void leavesTheBatchWholeWhenSplittingCouldChangeTheModel() {
        ValueSpec fixed = new ValueSpec("x", DataType.FLOAT, new long[] {10, 3});
        assertThat(SampleChunks.split(feed(10), List.of(fixed, M), 4))
                .as("fixed batch dimension")
                .hasSize(1);
        Map<String, Tensor> ragged = feed(10);
        ragged.put("m", TinyModel.random(3, -1, 1, 9, 2));
        assertThat(SampleChunks.split(ragged, List.of(X, M), 4))
                .as("inputs disagree on rows")
                .hasSize(1);
        assertThat(SampleChunks.split(feed(4), List.of(X, M), 4))
                .as("small enough")
                .hasSize(1);
        assertThat(SampleChunks.split(feed(10), List.of(X), 4))
                .as("an input the model does not declare")
                .hasSize(1);
    }
}
