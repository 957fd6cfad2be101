package io.quantserve.engine.onnx.upgrade;

import io.quantserve.engine.onnx.proto.Onnx.NodeProto;

/**
 * Rewrites one default-domain node of the source opset into the nodes that compute the same values at the
 * target opset. Contract: the replacement produces every output name of {@code node} (so no reader has to be
 * rewired), reads only the node's inputs, constants it adds through the scope, or tensors it creates itself,
 * and is emitted in dependency order; helper nodes and tensors get fresh names from the scope.
 */
@FunctionalInterface
interface OpAdapter {
    void upgrade(NodeProto node, UpgradeScope scope);
}
