package io.quantserve.engine.onnx.upgrade;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The upgrade table: every {@code ai.onnx} operator of opsets 1–13 the upgrader knows, mapped to its adapter.
 * Operators whose inputs, outputs, attributes and semantics stayed compatible from their first version to 13
 * (new types, negative axes, new optional attributes whose default is the old behaviour) map to
 * {@link #UNCHANGED}. An operator not in the table is refused. Sources: the ONNX operator changelog
 * (docs/Changelog.md) and the adapters of ONNX's own version converter.
 */
final class OpAdapters {
    /** The node is valid as it stands at the target opset. */
    static final OpAdapter UNCHANGED = (node, scope) -> scope.emit(node);

    private static final List<String> COMPATIBLE = List.of(
            "Abs",
            "Acos",
            "Acosh",
            "ArgMax",
            "ArgMin",
            "Asin",
            "Asinh",
            "Atan",
            "Atanh",
            "AveragePool",
            "BitShift",
            "Ceil",
            "Celu",
            "Compress",
            "ConcatFromSequence",
            "Constant",
            "ConstantOfShape",
            "Conv",
            "ConvInteger",
            "ConvTranspose",
            "Cos",
            "Cosh",
            "CumSum",
            "DepthToSpace",
            "DequantizeLinear",
            "Det",
            "DynamicQuantizeLinear",
            "Einsum",
            "Elu",
            "Erf",
            "Exp",
            "Expand",
            "EyeLike",
            "Flatten",
            "Floor",
            "Gather",
            "GatherElements",
            "GatherND",
            "GlobalAveragePool",
            "GlobalMaxPool",
            "GreaterOrEqual",
            "HardSigmoid",
            "Identity",
            "If",
            "InstanceNormalization",
            "IsInf",
            "IsNaN",
            "LRN",
            "LeakyRelu",
            "LessOrEqual",
            "Log",
            "Loop",
            "LpNormalization",
            "MatMul",
            "MatMulInteger",
            "Max",
            "MaxPool",
            "MaxRoiPool",
            "MaxUnpool",
            "Mean",
            "Min",
            "Mod",
            "Multinomial",
            "Neg",
            "NegativeLogLikelihoodLoss",
            "NonMaxSuppression",
            "NonZero",
            "Not",
            "OneHot",
            "QLinearConv",
            "QLinearMatMul",
            "QuantizeLinear",
            "RandomNormal",
            "RandomNormalLike",
            "RandomUniform",
            "RandomUniformLike",
            "Range",
            "Reciprocal",
            "ReduceL1",
            "ReduceL2",
            "ReduceLogSum",
            "ReduceLogSumExp",
            "ReduceMax",
            "ReduceMean",
            "ReduceMin",
            "ReduceProd",
            "ReduceSumSquare",
            "Relu",
            "ReverseSequence",
            "RoiAlign",
            "Round",
            "ScatterElements",
            "ScatterND",
            "Selu",
            "SequenceAt",
            "SequenceConstruct",
            "SequenceEmpty",
            "SequenceErase",
            "SequenceInsert",
            "SequenceLength",
            "Shape",
            "Shrink",
            "Sigmoid",
            "Sign",
            "Sin",
            "Sinh",
            "Size",
            "SoftmaxCrossEntropyLoss",
            "Softplus",
            "Softsign",
            "SpaceToDepth",
            "SplitToSequence",
            "Sqrt",
            "StringNormalizer",
            "Sum",
            "Tan",
            "Tanh",
            "TfIdfVectorizer",
            "ThresholdedRelu",
            "Transpose",
            "Unique",
            "Where");

    private static final Map<String, OpAdapter> TABLE = build();

    private OpAdapters() {}

    private static Map<String, OpAdapter> build() {
        Map<String, OpAdapter> t = new TreeMap<>();
        COMPATIBLE.forEach(op -> t.put(op, UNCHANGED));
        for (String op : List.of("Add", "Sub", "Mul", "Div", "Pow", "And", "Or", "Xor", "Equal", "Greater", "Less")) {
            t.put(op, LegacyOps::legacyBroadcast);
        }
        t.put("BatchNormalization", LegacyOps::batchNormalization);
        t.put("Cast", LegacyOps::cast);
        t.put("Clip", AttributeInputs::clip);
        t.put("Concat", LegacyOps::concat);
        t.put("Dropout", LegacyOps::dropout);
        t.put("Gemm", LegacyOps::gemm);
        for (String op : List.of("GRU", "LSTM", "RNN")) t.put(op, LegacyOps::recurrent);
        for (String op : List.of("LpPool", "GlobalLpPool")) t.put(op, LegacyOps::lpPool);
        t.put("ImageScaler", LegacyOps::imageScaler);
        t.put("Pad", AttributeInputs::pad);
        t.put("PRelu", LegacyOps::prelu);
        for (String op : List.of("ReduceSum", "Squeeze", "Unsqueeze")) t.put(op, AttributeInputs::axesToInput);
        t.put("Reshape", AttributeInputs::reshape);
        t.put("Resize", Resizing::resize);
        t.put("Scatter", LegacyOps::scatter);
        t.put("Slice", AttributeInputs::slice);
        for (String op : List.of("Softmax", "LogSoftmax", "Hardmax")) t.put(op, SoftmaxAxis::upgrade);
        t.put("Split", AttributeInputs::split);
        t.put("TopK", AttributeInputs::topK);
        t.put("Upsample", Resizing::upsample);
        t.put(
                "Scan",
                LegacyOps.refuseAcross(
                        9,
                        "Scan-8 carries a batch axis and a sequence_lens input that Scan-9 removed; re-export the"
                                + " model at opset 9 or later"));
        t.put(
                "Tile",
                LegacyOps.refuseAcross(
                        6,
                        "Tile-1 takes (tiles, axis) inputs that Tile-6 replaced by a repeats vector; re-export the"
                                + " model at opset 6 or later"));
        t.put(
                "MeanVarianceNormalization",
                LegacyOps.refuseAcross(
                        9,
                        "the experimental MeanVarianceNormalization (across_channels) differs from"
                                + " MeanVarianceNormalization-9 (axes); re-export the model at opset 9 or later"));
        return Collections.unmodifiableMap(t);
    }

    /** The adapter for an {@code ai.onnx} operator, if the upgrader knows it. */
    static Optional<OpAdapter> forOp(String opType) {
        return Optional.ofNullable(TABLE.get(opType));
    }

    /** Every {@code ai.onnx} operator the table holds, sorted. */
    static SortedSet<String> supportedOps() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(TABLE.keySet()));
    }
}
