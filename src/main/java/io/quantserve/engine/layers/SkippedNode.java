package io.quantserve.engine.layers;

/** A node of a quantizable op type that the engine leaves in float, and why. */
public record SkippedNode(String name, String opType, String scope, String reason) {}
