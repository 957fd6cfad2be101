package io.quantserve.engine.onnx.upgrade;

import io.quantserve.engine.InvalidModelException;
import io.quantserve.engine.QuantServeException;
import io.quantserve.engine.onnx.TensorProtos;
import io.quantserve.engine.onnx.proto.Onnx.NodeProto;
import io.quantserve.engine.onnx.proto.Onnx.TensorProto;
import io.quantserve.engine.tensor.DataType;
import io.quantserve.engine.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The state adapters work against while one graph is upgraded: the source and target opsets, the nodes
 * emitted so far (in order), the initializers added for attributes that became inputs, fresh names and the
 * {@link TensorFacts} of the original graph.
 */
final class UpgradeScope {
    private final long from;
    private final long to;
    private final ModelNames names;
    private final TensorFacts facts;
    private final String graphName;
    private final List<NodeProto> nodes = new ArrayList<>();
    private final List<TensorProto> initializers = new ArrayList<>();
    private int nodeIndex = -1;

    UpgradeScope(long from, long to, ModelNames names, TensorFacts facts, String graphName) {
        this.from = from;
        this.to = to;
        this.names = names;
        this.facts = facts;
        this.graphName = graphName;
    }

    /** Opset the model was written for. */
    long from() {
        return from;
    }

    /** Opset being upgraded to. */
    long to() {
        return to;
    }

    /** True when the operator version introduced at opset {@code version} lies on the way: from < version ≤ to. */
    boolean crosses(int version) {
        return from < version && version <= to;
    }

    TensorFacts facts() {
        return facts;
    }

    void emit(NodeProto node) {
        nodes.add(node);
    }

    List<NodeProto> nodes() {
        return List.copyOf(nodes);
    }

    List<TensorProto> addedInitializers() {
        return List.copyOf(initializers);
    }

    void startNode(int index) {
        this.nodeIndex = index;
    }

    /** A fresh name for something a rewrite of {@code node} creates, e.g. {@code conv1_axes}. */
    String fresh(NodeProto node, String suffix) {
        String base = node.getName().isEmpty() ? node.getOpType() : node.getName();
        return names.fresh(base + "_" + suffix);
    }

    /** Stores {@code value} as a new initializer named after {@code node}; returns its name. */
    String constant(NodeProto node, String suffix, Tensor value) {
        String name = fresh(node, suffix);
        initializers.add(TensorProtos.fromTensor(name, value));
        return name;
    }

    /** A 1-D int64 initializer holding {@code values}. */
    String int64s(NodeProto node, String suffix, List<Long> values) {
        long[] v = values.stream().mapToLong(Long::longValue).toArray();
        return constant(node, suffix, Tensor.ofLongs(new long[] {v.length}, v));
    }

    /**
     * A scalar initializer of ONNX element type {@code elemType} holding {@code value} (rounded toward zero for
     * integer types); float32 when the element type is not one the engine stores.
     */
    String scalar(NodeProto node, String suffix, double value, int elemType) {
        DataType type = DataType.fromOnnx(elemType).orElse(DataType.FLOAT);
        ByteBuffer b = ByteBuffer.allocate(type.byteWidth()).order(ByteOrder.LITTLE_ENDIAN);
        switch (type) {
            case FLOAT -> b.putFloat((float) value);
            case DOUBLE -> b.putDouble(value);
            case FLOAT16 -> b.putShort(Float.floatToFloat16((float) value));
            case INT8, UINT8, BOOL -> b.put((byte) value);
            case INT16, UINT16 -> b.putShort((short) value);
            case INT32, UINT32 -> b.putInt((int) value);
            case INT64, UINT64 -> b.putLong((long) value);
        }
        b.flip();
        return constant(node, suffix, Tensor.ofBytes(type, new long[0], b));
    }

    /** The value of {@code tensor} when it is a constant the engine can decode. */
    Optional<Tensor> constantValue(String tensor) {
        if (tensor.isEmpty()) return Optional.empty();
        return facts.constant(tensor).flatMap(t -> {
            try {
                return Optional.of(TensorProtos.toTensor(t, null));
            } catch (QuantServeException | IllegalArgumentException e) {
                return Optional.empty();
            }
        });
    }

    /** How a node is named in messages: its name, or its position when it has none. */
    String describe(NodeProto node) {
        String where = node.getName().isEmpty() ? "#" + nodeIndex : "'" + node.getName() + "'";
        String graph = graphName.isEmpty() ? "" : " of graph '" + graphName + "'";
        return "node " + where + " (" + node.getOpType() + ")" + graph;
    }

    /** The failure for a node this upgrade cannot rewrite exactly. */
    InvalidModelException unsupported(NodeProto node, String why) {
        return new InvalidModelException(
                "cannot upgrade " + describe(node) + " from opset " + from + " to " + to + ": " + why);
    }
}
