package io.quantserve.engine.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.quantserve.engine.InvalidModelException;
import io.quantserve.engine.layers.LayerFinder;
import io.quantserve.engine.layers.QuantizableLayer;
import io.quantserve.engine.onnx.proto.Onnx.GraphProto;
import io.quantserve.engine.onnx.proto.Onnx.ModelProto;
import io.quantserve.engine.onnx.proto.Onnx.NodeProto;
import io.quantserve.engine.onnx.proto.Onnx.TensorProto;
import io.quantserve.engine.tensor.Tensor;
import io.quantserve.testing.ControlFlowModels;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GraphScopesTest {
    private static final ModelProto NESTED = ControlFlowModels.loopWithIf().proto();
    private static final String BODY = "outer/body";
    private static final String THEN = "outer/body/branch/then_branch";
    private static final String ELSE = "outer/body/branch/else_branch";

    @Test
    void resolvesTheScopePathsLayerFinderReports() {
        List<QuantizableLayer> layers = LayerFinder.scan(NESTED).layers();
        assertThat(layers)
                .extracting(QuantizableLayer::name, QuantizableLayer::scope)
                .containsExactly(tuple("mm_then", THEN), tuple("mm_else", ELSE), tuple("mm_main", ""));
        for (QuantizableLayer l : layers) {
            assertThat(GraphScopes.graph(NESTED, l.scope()).getNodeList())
                    .extracting(NodeProto::getName)
                    .contains(l.name());
        }
        assertThat(GraphScopes.all(NESTED)).containsExactly("", BODY, THEN, ELSE);
        assertThat(GraphScopes.chain(NESTED, ELSE)).containsExactly(ELSE, BODY, "");
        assertThat(GraphScopes.parent(NESTED, THEN)).contains(BODY);
        assertThat(GraphScopes.parent(NESTED, "")).isEmpty();
        assertThatThrownBy(() -> GraphScopes.graph(NESTED, "outer/body/nothing/then_branch"))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("'outer/body/nothing/then_branch'");
    }

    @Test
    void nodeNamesWithSlashesResolve() {
        ModelProto renamed = NESTED.toBuilder()
                .setGraph(NESTED.getGraph().toBuilder()
                        .setNode(0, NESTED.getGraph().getNode(0).toBuilder().setName("/model/loop")))
                .build();
        assertThat(GraphScopes.all(renamed)).contains("/model/loop/body/branch/then_branch");
        assertThat(GraphScopes.graph(renamed, "/model/loop/body").getNodeList())
                .extracting(NodeProto::getName)
                .contains("branch");
    }

    @Test
    void replaceChangesOnlyTheAddressedGraph() {
        GraphProto then = GraphScopes.graph(NESTED, THEN);
        GraphProto edited = then.toBuilder().setDocString("edited").build();

        ModelProto out = GraphScopes.replace(NESTED, THEN, edited);

        assertThat(GraphScopes.graph(out, THEN)).isEqualTo(edited);
        assertThat(GraphScopes.graph(out, ELSE)).isEqualTo(GraphScopes.graph(NESTED, ELSE));
        assertThat(out.getGraph().getInitializerList())
                .isEqualTo(NESTED.getGraph().getInitializerList());
        assertThat(GraphScopes.replace(out, THEN, then)).isEqualTo(NESTED);
    }

    @Test
    void findsInitializersAlongTheScopeChain() {
        assertThat(GraphScopes.initializer(NESTED, THEN, "w_then"))
                .hasValueSatisfying(i -> assertThat(i.scope()).isEqualTo(THEN));
        assertThat(GraphScopes.initializer(NESTED, ELSE, "w_else"))
                .as("two scopes up")
                .hasValueSatisfying(i -> assertThat(i.scope()).isEmpty());
        assertThat(GraphScopes.initializer(NESTED, ELSE, "two"))
                .hasValueSatisfying(i -> assertThat(i.scope()).isEqualTo(BODY));
        assertThat(GraphScopes.initializer(NESTED, ELSE, "w_then"))
                .as("a sibling's initializer is not visible")
                .isEmpty();
        assertThat(GraphScopes.initializer(NESTED, BODY, "h_in")).isEmpty();
    }

    @Test
    void allNamesCoversEveryScopeAndAnEditorReservesThem() {
        Set<String> names = GraphScopes.allNames(NESTED);
        assertThat(names)
                .contains("x", "w_main", "outer", "i", "h_in", "branch", "w_then", "a", "mm_then", "b", "y_else");

        GraphEditor then = new GraphEditor(GraphScopes.graph(NESTED, THEN), names);
        assertThat(then.uniqueName("b")).as("'b' is used in the sibling branch").isEqualTo("b_1");
        assertThat(then.uniqueName("x")).as("'x' is a main-graph input").isEqualTo("x_1");
        String added = then.addInitializer("w_else", Tensor.ofFloats(new long[] {1}, new float[] {1f}));
        assertThat(added).isEqualTo("w_else_1");
        assertThat(then.build().getInitializerList())
                .extracting(TensorProto::getName)
                .containsExactly("w_then", "w_else_1");
    }

    @Test
    void scopedEditsMoveAnOuterWeightIntoTheSubgraphAndDropItOutside() {
        ModelProto out = ScopedEdits.apply(NESTED, List.of(ELSE, THEN), scope -> {
            GraphEditor ed = scope.editor();
            if (scope.path().equals(ELSE)) {
                assertThat(scope.owns("w_else")).isFalse();
                TensorProto outer = scope.initializer("w_else").orElseThrow().tensor();
                String moved = ed.addInitializer("w_else_moved", TensorProtos.toTensor(outer, null));
                NodeProto mm = ed.node("mm_else").orElseThrow();
                ed.replaceNode(mm.toBuilder().setInput(1, moved).build());
                scope.release("w_else");
            } else {
                scope.release("w_then");
            }
        });

        assertThat(out.getGraph().getInitializerList())
                .extracting(TensorProto::getName)
                .as("released and no longer read")
                .containsExactly("trips", "go", "w_main");
        assertThat(GraphScopes.graph(out, ELSE).getInitializerList())
                .extracting(TensorProto::getName)
                .containsExactly("w_else_moved");
        assertThat(GraphScopes.graph(out, THEN).getInitializerList())
                .extracting(TensorProto::getName)
                .as("an own initializer is not released by the cleanup")
                .containsExactly("w_then");
    }
}
