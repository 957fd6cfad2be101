package io.quantserve.engine.onnx.upgrade;

import static io.quantserve.engine.onnx.upgrade.TinyModel.FLOAT;
import static io.quantserve.engine.onnx.upgrade.TinyModel.INT64;
import static org.assertj.core.api.Assertions.assertThat;

import io.quantserve.engine.onnx.Attributes;
import io.quantserve.engine.onnx.proto.Onnx.ModelProto;
import io.quantserve.engine.tensor.Tensor;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Ranks, vector lengths and element types the upgrader derives; a wrong rank would pick a wrong rewrite. */
class TensorFactsTest {
    @Test
    void ranksFollowTheOperatorsThatFixThem() {
        ModelProto m = TinyModel.opset(11)
                .input("x", FLOAT, 2, 3, 4)
                .input("v", FLOAT, 4)
                .inputOfUnknownShape("unknown", FLOAT)
                .initializer("w", Tensor.ofFloats(new long[] {4, 5}, new float[20]))
                .initializer("idx", Tensor.ofLongs(new long[] {2, 2}, new long[4]))
                .node("Relu", List.of("x"), List.of("relu"))
                .node("MatMul", List.of("relu", "w"), List.of("mm3"))
                .node("MatMul", List.of("relu", "v"), List.of("mm_vector"))
                .node("MatMul", List.of("v", "w"), List.of("vector_mm"))
                .node("Add", List.of("mm3", "v"), List.of("add"))
                .node("Add", List.of("mm3", "unknown"), List.of("add_unknown"))
                .node(
                        "ReduceMean",
                        List.of("x"),
                        List.of("mean"),
                        Attributes.ofInts("axes", 1, 2),
                        Attributes.of("keepdims", 0L))
                .node("ReduceMean", List.of("x"), List.of("mean_kept"), Attributes.ofInts("axes", 1))
                .node("Gather", List.of("x", "idx"), List.of("gathered"))
                .node("Unsqueeze", List.of("x"), List.of("unsqueezed"), Attributes.ofInts("axes", 0, 4))
                .node("Squeeze", List.of("unsqueezed"), List.of("squeezed"), Attributes.ofInts("axes", 0))
                .node("Squeeze", List.of("x"), List.of("squeezed_all"))
                .node("Flatten", List.of("unknown"), List.of("flat"))
                .build();

        TensorFacts f = TensorFacts.of(m.getGraph(), null);

        assertThat(f.rank("relu")).hasValue(3);
        assertThat(f.rank("mm3")).hasValue(3);
        assertThat(f.rank("mm_vector")).as("[2,3,4] x [4]").hasValue(2);
        assertThat(f.rank("vector_mm")).as("[4] x [4,5]").hasValue(1);
        assertThat(f.rank("add")).hasValue(3);
        assertThat(f.rank("add_unknown")).isEmpty();
        assertThat(f.rank("mean")).hasValue(1);
        assertThat(f.rank("mean_kept")).hasValue(3);
        assertThat(f.rank("gathered")).hasValue(4);
        assertThat(f.rank("unsqueezed")).hasValue(5);
        assertThat(f.rank("squeezed")).hasValue(4);
        assertThat(f.rank("squeezed_all"))
                .as("depends on which axes have size 1")
                .isEmpty();
        assertThat(f.rank("flat")).hasValue(2);
    }

    @Test
    void aShapeVectorAssembledAtRunTimeStillGivesTheReshapeRank() {
        // Reshape(x, Concat(Slice(Shape(x), 0, 1), Unsqueeze(Gather(Shape(x), 2)), [-1, 2])): rank 4, whatever
        // the sizes of x are at run time.
        ModelProto m = TinyModel.opset(11)
                .input("x", FLOAT, 2, 3, 8)
                .inputOfUnknownShape("u", FLOAT)
                .initializer("zero", Tensor.ofLongs(new long[] {1}, new long[] {0}))
                .initializer("one", Tensor.ofLongs(new long[] {1}, new long[] {1}))
                .initializer("two", Tensor.ofLongs(new long[0], new long[] {2}))
                .initializer("tail", Tensor.ofLongs(new long[] {2}, new long[] {-1, 2}))
                .node("Shape", List.of("x"), List.of("shape"))
                .node("Slice", List.of("shape", "zero", "one"), List.of("batch"))
                .node("Gather", List.of("shape", "two"), List.of("dim2"))
                .node("Unsqueeze", List.of("dim2"), List.of("dim2_vector"), Attributes.ofInts("axes", 0))
                .node(
                        "Concat",
                        List.of("batch", "dim2_vector", "tail"),
                        List.of("new_shape"),
                        Attributes.of("axis", 0L))
                .node("Reshape", List.of("x", "new_shape"), List.of("y"))
                .node("Cast", List.of("shape"), List.of("shape_float"), Attributes.of("to", (long) FLOAT))
                .node("Shape", List.of("u"), List.of("shape_u"))
                .node("Slice", List.of("shape_u", "zero", "one"), List.of("batch_u"))
                .build();

        TensorFacts f = TensorFacts.of(m.getGraph(), null);

        assertThat(f.rank("shape")).hasValue(1);
        assertThat(f.length("shape")).hasValue(3);
        assertThat(f.length("batch")).hasValue(1);
        assertThat(f.length("shape_u")).as("the rank of u is unknown").isEmpty();
        assertThat(f.length("batch_u"))
                .as("u may be a scalar, with an empty shape")
                .isEmpty();
        assertThat(f.rank("dim2")).hasValue(0);
        assertThat(f.length("dim2_vector")).hasValue(1);
        assertThat(f.length("new_shape")).hasValue(4);
        assertThat(f.rank("y")).hasValue(4);
        assertThat(f.elemType("shape")).hasValue(INT64);
        assertThat(f.elemType("shape_float")).hasValue(FLOAT);
        assertThat(f.elemType("y")).as("Reshape keeps the data type of x").hasValue(FLOAT);
        assertThat(f.rank("nothing")).isEqualTo(OptionalInt.empty());
    }
}
