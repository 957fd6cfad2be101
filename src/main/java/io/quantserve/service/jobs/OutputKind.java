package io.quantserve.service.jobs;

import io.quantserve.engine.InvalidConfigException;
import java.util.Arrays;
import java.util.List;

/**
 * The artefacts a job can be asked to publish ({@code outputs}). Files of no kind — {@code manifest.json}, and the
 * {@code sensitivity.json} and {@code rollback_history.json} of an auto-rollback run — are always published.
 */
public enum OutputKind {
    /** {@code <model>_fake_quant_model.onnx} (and its external data): the model to evaluate accuracy with. */
    FAKE_QUANT("fake_quant", "_fake_quant_model.onnx"),
    /** {@code <model>_deploy_model.onnx}: AscendQuant/AscendDequant operators for the Ascend toolchain. */
    DEPLOY("deploy", "_deploy_model.onnx"),
    /** {@code <model>_int8_model.onnx}: standard QuantizeLinear/DequantizeLinear operators for ONNX Runtime. */
    INT8("int8", "_int8_model.onnx"),
    /** {@code report.json} and {@code report.html}: the quality report. */
    REPORT("report", "report."),
    /** {@code quant_config.json}: the AMCT config the run used. */
    CONFIG("config", "quant_config.json"),
    /** {@code record.txt}: AMCT's record of scales and offsets. */
    RECORD("record", "record.txt"),
    /** {@code statistics.bin}: activation statistics, which let a re-export skip calibration. */
    STATISTICS("statistics", "statistics.bin");

    private final String jsonName;
    private final String marker;

    OutputKind(String jsonName, String marker) {
        this.jsonName = jsonName;
        this.marker = marker;
    }

    /** The name in requests and views ({@code fake_quant}, {@code deploy}, …). */
    public String jsonName() {
        return jsonName;
    }

    /** Every kind's name, in declaration order: the default of a job that states no outputs. */
    public static List<String> all() {
        return Arrays.stream(values()).map(OutputKind::jsonName).toList();
    }

    /**
     * The kind named {@code name}.
     *
     * @throws InvalidConfigException for an unknown name, listing the known ones
     */
    public static OutputKind parse(String name) {
        return Arrays.stream(values())
                .filter(k -> k.jsonName.equals(name))
                .findFirst()
                .orElseThrow(() -> new InvalidConfigException(
                        "outputs names '" + name + "', which is no artefact kind; choose from " + all()));
    }

    /**
     * Whether the artefact file {@code fileName} is published for {@code wanted} (kind names; empty for all): files
     * of a wanted kind and files of no kind are, files of an unwanted kind are not.
     */
    public static boolean published(String fileName, List<String> wanted) {
        if (wanted.isEmpty()) return true;
        for (OutputKind kind : values()) {
            boolean of = kind == REPORT ? fileName.startsWith(kind.marker) : fileName.contains(kind.marker);
            if (of) return wanted.contains(kind.jsonName);
        }
        return true;
    }
}
