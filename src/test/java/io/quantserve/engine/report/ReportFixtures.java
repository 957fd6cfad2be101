package io.quantserve.engine.report;

import io.quantserve.engine.calibration.ProgressListener;
import io.quantserve.engine.calibration.data.NpzWriter;
import io.quantserve.engine.config.ConfigOptions;
import io.quantserve.engine.export.FakeQuantExporter;
import io.quantserve.engine.export.LayerRecord;
import io.quantserve.engine.export.RecordFile;
import io.quantserve.engine.layers.LayerFinder;
import io.quantserve.engine.onnx.ModelIo;
import io.quantserve.engine.onnx.OnnxModel;
import io.quantserve.engine.pipeline.QuantizationPipeline;
import io.quantserve.engine.pipeline.QuantizeRequest;
import io.quantserve.engine.pipeline.QuantizeResult;
import io.quantserve.engine.pipeline.SaveRequest;
import io.quantserve.engine.quant.LayerQuantization;
import io.quantserve.engine.quant.LayerQuantizations;
import io.quantserve.engine.tensor.Tensor;
import io.quantserve.engine.weights.BiasOverflowPolicy;
import io.quantserve.testing.SampleModels;
import io.quantserve.testing.TinyModel;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the pipeline on {@link SampleModels#allLayerKinds()} with uniform data in [-1, 1): 16 samples in batches of
 * 4, two of them retained for verification and the report.
 */
final class ReportFixtures {
    static final int BATCH = 4;

    final Path dir;
    final Path model;
    final Path data;

    ReportFixtures(Path dir) {
        this.dir = dir;
        this.model = dir.resolve("tiny.onnx");
        ModelIo.save(SampleModels.allLayerKinds(), model);
        this.data = dir.resolve("calib.npz");
        var arrays = new LinkedHashMap<String, Tensor>();
        arrays.put("x", TinyModel.random(42, -1f, 1f, 16, 2, 6, 6));
        NpzWriter.write(data, arrays, false);
    }

    QuantizeResult quantize(String out) {
        return QuantizationPipeline.quantize(
                new QuantizeRequest(model, data, null, ConfigOptions.defaults(), BATCH, 4, dir.resolve(out), 2),
                ProgressListener.NONE);
    }

    /** The float model and its layers quantized with {@code q}'s record, to build a report from directly. */
    Quantized quantized(QuantizeResult q) {
        OnnxModel floatModel = ModelIo.load(model);
        Map<String, LayerRecord> record = RecordFile.read(q.outDir().resolve("record.txt"));
        List<LayerQuantization> layers = LayerFinder.scan(floatModel.proto()).layers().stream()
                .map(l -> LayerQuantizations.build(
                                floatModel, l, record.get(l.name()).factors(), BiasOverflowPolicy.FAIL)
                        .orElseThrow())
                .toList();
        return new Quantized(floatModel, layers, FakeQuantExporter.export(floatModel, layers));
    }

    record Quantized(OnnxModel floatModel, List<LayerQuantization> layers, OnnxModel fakeQuant) {}

    /** Re-exports {@code from}'s config with its record changed by {@code edit}; {@code withData} adds samples. */
    QuantizeResult saveEdited(
            QuantizeResult from,
            java.util.function.UnaryOperator<Map<String, LayerRecord>> edit,
            boolean withData,
            String out) {
        Map<String, LayerRecord> record =
                new LinkedHashMap<>(RecordFile.read(from.outDir().resolve("record.txt")));
        Path edited = dir.resolve(out + "_record.txt");
        RecordFile.write(edit.apply(record), edited);
        return QuantizationPipeline.save(
                new SaveRequest(
                        model,
                        from.outDir().resolve("quant_config.json"),
                        edited,
                        withData ? data : null,
                        BATCH,
                        dir.resolve(out)),
                ProgressListener.NONE);
    }

    /** {@code layer}'s record with {@code scale_d} divided by {@code factor}: a deliberately too narrow clip range. */
    static Map<String, LayerRecord> narrowed(Map<String, LayerRecord> record, String layer, float factor) {
        LayerRecord r = record.get(layer);
        record.put(layer, new LayerRecord(r.scaleD() / factor, r.offsetD(), r.scaleW(), r.offsetW()));
        return record;
    }
}
