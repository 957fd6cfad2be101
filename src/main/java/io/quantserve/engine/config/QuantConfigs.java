package io.quantserve.engine.config;

import io.quantserve.engine.InvalidConfigException;
import io.quantserve.engine.layers.LayerScan;
import io.quantserve.engine.layers.LayerType;
import io.quantserve.engine.layers.QuantizableLayer;
import io.quantserve.engine.layers.SkippedNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads, writes and checks quantization config files (AMCT's JSON format). Every failure is an
 * {@link InvalidConfigException} whose message names the file, the layer and the key at fault.
 *
 * <p>Reading is strict: all keys are required except {@code asymmetric} and {@code dmq_balancer_param} (per layer),
 * {@code bias_overflow_policy} and {@code matmul_channel_wise} (top level); unknown and duplicate keys, wrong JSON
 * types (no {@code "8"} for 8, no {@code 8.0} for an integer, no {@code 1} for {@code true}) and out-of-range values
 * are refused. Every broken top-level key and the first problem of every broken layer are reported together.
 *
 * <p>Writing uses 4-space indentation, {@code "key": value}, one-line arrays ({@code [0.7, 1.3]}), AMCT's key
 * order, the layers in the config's order and a final newline; doubles are written in Java's shortest round-trip
 * form ({@link Double#toString}). {@code asymmetric} and {@code dmq_balancer_param} are written only when set,
 * {@code bias_overflow_policy} only when it is not {@code fail} and {@code matmul_channel_wise} only when it is not
 * {@code off}, so a config without QuantServe extensions is plain AMCT. Reading a written config gives an equal
 * config, and {@code toJson(parse(toJson(c)))} equals {@code toJson(c)} byte for byte.
 */
public final class QuantConfigs {
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private QuantConfigs() {}

    /**
     * Parses and validates config text.
     *
     * @param json the file's content
     * @param source what to call it in messages (usually the file name)
     */
    public static QuantConfig parse(String json, String source) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JacksonException e) {
            throw new InvalidConfigException(
                    "quant config '" + source + "' is not valid JSON" + where(e) + ": " + e.getOriginalMessage(), e);
        }
        if (root == null || root.isMissingNode()) {
            throw new InvalidConfigException("quant config '" + source + "' is empty");
        }
        return QuantConfigReader.read(root, source);
    }

    /** Reads and validates the UTF-8 config file {@code file}. */
    public static QuantConfig read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidConfigException("quant config file '" + file + "' does not exist");
        }
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("reading quant config '" + file + "'", e);
        }
    }

    /** The config as JSON text (UTF-8 when stored), ending with a newline. Same config, same text. */
    public static String toJson(QuantConfig config) {
        return QuantConfigWriter.write(MAPPER, config);
    }

    /** Writes {@link #toJson} to {@code file} atomically (a temporary file moved into place). */
    public static void write(QuantConfig config, Path file) {
        Path dir = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            try {
                Files.writeString(tmp, toJson(config), StandardCharsets.UTF_8);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing quant config '" + file + "'", e);
        }
    }

    /**
     * Checks {@code config} against the model it is meant for, reporting every problem at once:
     *
     * <ul>
     *   <li>each layer of the config must be a quantizable layer of {@code scan} (a node that the layer rules
     *       refused is reported with the reason);
     *   <li>{@code channel_wise} may be true only for operators with per-channel weights (Conv, ConvTranspose, and
     *       Gemm/MatMul when {@code matmul_channel_wise} is not {@code off}), false is required for AveragePool and,
     *       by AMCT's rule, for Gemm and MatMul;
     *   <li>{@code dmq_balancer_param} may be set only on layers that DMQ balancing supports
     *       ({@link #supportsDmq});
     *   <li>each {@code skip_fusion_layers} entry must name a Conv or ConvTranspose node of the model.
     * </ul>
     *
     * Quantizable layers that the config does not list stay in float.
     *
     * @throws InvalidConfigException naming each offending layer and key
     */
    public static void validateAgainst(QuantConfig config, LayerScan scan) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, LayerConfig> e : config.layers().entrySet()) {
            String name = e.getKey();
            Optional<QuantizableLayer> layer = scan.layer(name);
            if (layer.isEmpty()) {
                problems.add("layer '" + name + "' is not a quantizable layer of the model ("
                        + skippedReason(scan, name).orElse("no such node") + ")");
                continue;
            }
            LayerType type = layer.get().type();
            if (e.getValue().weight().channelWise()
                    && !config.matMulChannelWise().allowsChannelWise(type)) {
                problems.add("layer '" + name + "': weight_quant_params.channel_wise must be false for " + type.opType()
                        + (type.hasWeight()
                                ? " (AMCT has per-channel weights only for Conv and ConvTranspose; set the top-level "
                                        + ConfigKeys.MATMUL_CHANNEL_WISE + " to 'portable' or 'all' to allow them for"
                                        + " Gemm and MatMul)"
                                : " (it has no weight)"));
            }
            if (e.getValue().dmqBalancerParam() != null && !supportsDmq(layer.get())) {
                problems.add("layer '" + name + "': " + ConfigKeys.DMQ_BALANCER_PARAM + " is not supported for "
                        + (type.hasWeight()
                                ? "a layer inside a subgraph (" + layer.get().scope() + ")"
                                : type.opType())
                        + "; DMQ balancing applies to Conv, ConvTranspose, Gemm and MatMul layers of the main graph");
            }
        }
        for (String name : config.skipFusionLayers()) {
            if (!isConv(scan, name)) {
                problems.add("skip_fusion_layers names '" + name
                        + "', which is not a Conv or ConvTranspose node of the model");
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(
                    problems.size() == 1
                            ? "quant config does not fit the model: " + problems.getFirst()
                            : "quant config does not fit the model (" + problems.size() + " problems):\n- "
                                    + String.join("\n- ", problems));
        }
    }

    /**
     * Whether DMQ balancing ({@code dmq_balancer_param}) applies to {@code layer}: a layer with a weight (Conv of any
     * group count, ConvTranspose, Gemm, MatMul) in the main graph. The rewrite is exact for all of them; layers inside
     * {@code If}/{@code Loop}/{@code Scan} bodies are left out because the calibrator sees a loop body's values
     * flattened, without the channel axis the balancing statistics need.
     */
    public static boolean supportsDmq(QuantizableLayer layer) {
        return layer.type().hasWeight() && layer.inMainGraph();
    }

    private static Optional<String> skippedReason(LayerScan scan, String name) {
        return scan.skipped().stream()
                .filter(s -> s.name().equals(name))
                .findFirst()
                .map(s -> s.opType() + ": " + s.reason());
    }

    /** Whether the model has a Conv or ConvTranspose node called {@code name} (quantizable or not). */
    private static boolean isConv(LayerScan scan, String name) {
        Optional<String> opType = scan.layer(name)
                .map(l -> l.type().opType())
                .or(() -> scan.skipped().stream()
                        .filter(s -> s.name().equals(name))
                        .findFirst()
                        .map(SkippedNode::opType));
        return opType.filter(op -> op.equals(LayerType.CONV.opType()) || op.equals(LayerType.CONV_TRANSPOSE.opType()))
                .isPresent();
    }

    private static String where(JacksonException e) {
        StringBuilder sb = new StringBuilder();
        TokenStreamLocation loc = e.getLocation();
        if (loc != null && loc.getLineNr() > 0) {
            sb.append(" at line ").append(loc.getLineNr()).append(", column ").append(loc.getColumnNr());
        }
        if (e instanceof StreamReadException sre && sre.processor() instanceof JsonParser p) {
            String pointer = p.streamReadContext().pathAsPointer().toString();
            if (!pointer.isEmpty()) sb.append(" (").append(pointer).append(")");
        }
        return sb.toString();
    }
}
