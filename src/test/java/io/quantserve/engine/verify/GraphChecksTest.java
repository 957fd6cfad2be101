package io.quantserve.engine.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quantserve.engine.QuantServeException;
import io.quantserve.engine.onnx.proto.Onnx.ModelProto;
import io.quantserve.engine.tensor.DataType;
import io.quantserve.testing.SampleModels;
import io.quantserve.testing.TinyModel;
import java.util.List;
import org.junit.jupiter.api.Test;

class GraphChecksTest {
    @Test
    void wellFormedModelHasNoProblems() {
        assertThat(GraphChecks.problems(SampleModels.allLayerKinds().proto())).isEmpty();
    }

    @Test
    void eachDefectIsNamed() {
        ModelProto bad = TinyModel.create()
                .input("x", DataType.FLOAT, 1, 4)
                .namedNode("a", "Relu", List.of("x"), List.of("h"))
                .namedNode("a", "Relu", List.of("missing"), List.of("h"))
                .namedNode("", "Relu", List.of("later"), List.of("y"))
                .namedNode("c", "Relu", List.of("x"), List.of("later"))
                .output("y", DataType.FLOAT, 1, 4)
                .output("z", DataType.FLOAT, 1, 4)
                .proto();
        assertThat(GraphChecks.problems(bad))
                .anySatisfy(p -> assertThat(p).contains("'a' is used twice"))
                .anySatisfy(p -> assertThat(p).contains("reads 'missing'"))
                .anySatisfy(p -> assertThat(p).contains("'h' is produced more than once"))
                .anySatisfy(p -> assertThat(p).contains("has no name"))
                .anySatisfy(p -> assertThat(p).contains("reads 'later' before it is defined"))
                .anySatisfy(p -> assertThat(p).contains("'z' is never produced"));
        assertThatThrownBy(() -> GraphChecks.require(bad, "m.onnx"))
                .isInstanceOf(QuantServeException.class)
                .hasMessageStartingWith("m.onnx is malformed");
    }
}
