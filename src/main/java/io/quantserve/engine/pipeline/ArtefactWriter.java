package io.quantserve.engine.pipeline;

import io.quantserve.engine.QuantServeException;
import io.quantserve.engine.ScratchFolder;
import io.quantserve.engine.calibration.CalibrationStatistics;
import io.quantserve.engine.calibration.ProgressListener;
import io.quantserve.engine.calibration.StatisticsFile;
import io.quantserve.engine.config.QuantConfig;
import io.quantserve.engine.config.QuantConfigs;
import io.quantserve.engine.export.DeployExporter;
import io.quantserve.engine.export.FakeQuantExporter;
import io.quantserve.engine.export.Int8Exporter;
import io.quantserve.engine.export.Manifest;
import io.quantserve.engine.export.RecordFile;
import io.quantserve.engine.onnx.ModelIo;
import io.quantserve.engine.onnx.OnnxModel;
import io.quantserve.engine.quant.LayerQuantization;
import io.quantserve.engine.report.QualityReport;
import io.quantserve.engine.report.QualityReports;
import io.quantserve.engine.report.ReportInput;
import io.quantserve.engine.runtime.InferenceSession;
import io.quantserve.engine.runtime.SessionSettings;
import io.quantserve.engine.tensor.Tensor;
import io.quantserve.engine.verify.DeployParityCheck;
import io.quantserve.engine.verify.GraphChecks;
import io.quantserve.engine.verify.ParityReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Export → verify → report → publish: writes the config, record and the three models into a staging folder, checks
 * them (every model loads in ONNX Runtime; the prepared float model gives the original's outputs; the deploy model's
 * integer reference matches the fake-quant model on the retained calibration batches, or a fake-quant model of the
 * deploy model's own factors where those differ ({@link DeployLayers}); the INT8 model agrees with the fake-quant
 * model), writes the quality report ({@link QualityReports}), the manifest last and only then publishes. The checks
 * run on the report replay's runs of the prepared and fake-quant models ({@link ReplayChecks}), so no model runs
 * twice on the same samples. Any failure leaves the output folder as it was.
 */
final class ArtefactWriter {
    /** Absolute tolerance of the deploy ↔ fake-quant parity, in output units. */
    static final double PARITY_TOLERANCE = 1e-4;

    static final String CONFIG_FILE = "quant_config.json";
    static final String RECORD_FILE = "record.txt";

    private ArtefactWriter() {}

    /** Paths of the run's inputs, for the manifest. */
    record Inputs(
            Path model,
            @Nullable Path data,
            @Nullable Path config,
            @Nullable Path record,
            @Nullable Path statistics) {}

    /** @param statistics the calibration statistics of the run, written as {@link StatisticsFile}; null for none */
    static QuantizeResult write(
            Inputs inputs,
            Path outDir,
            OnnxModel fused,
            QuantConfig config,
            List<LayerQuantization> layers,
            List<Map<String, Tensor>> feeds,
            RunOptions options,
            List<String> notes,
            ProgressListener progress,
            @Nullable CalibrationStatistics statistics) {
        String base = QuantizationPipeline.baseName(inputs.model());
        String fakeName = base + "_fake_quant_model.onnx";
        String deployName = base + "_deploy_model.onnx";
        String int8Name = base + "_int8_model.onnx";
        List<String> notesOut = new ArrayList<>(notes);
        if (layers.isEmpty()) {
            throw new QuantServeException(
                    "nothing-to-quantize",
                    "no layer is left to quantize (" + String.join("; ", options.floatLayers())
                            + "); enable at least one quantizable layer");
        }
        try (StagedOutput out = new StagedOutput(outDir);
                ScratchFolder scratch = ScratchFolder.temporary("run")) {
            progress.stage("export");
            QuantConfigs.write(config, out.file(CONFIG_FILE));
            RecordFile.write(RecordFile.fromQuantization(layers), out.file(RECORD_FILE));
            if (statistics != null) StatisticsFile.write(statistics, out.file(StatisticsFile.FILE_NAME));
            OnnxModel fake = FakeQuantExporter.export(fused, layers);
            List<LayerQuantization> deployLayers = DeployLayers.of(fused, config, layers);
            OnnxModel deploy = DeployExporter.export(fused, deployLayers);
            OnnxModel int8 = Int8Exporter.export(fused, layers);
            GraphChecks.require(fake.proto(), fakeName);
            GraphChecks.require(deploy.proto(), deployName);
            GraphChecks.require(int8.proto(), int8Name);
            ModelIo.save(fake, out.file(fakeName));
            ModelIo.save(deploy, out.file(deployName));
            ModelIo.save(int8, out.file(int8Name));

            progress.stage("verify");
            QualityReport report;
            ParityReport parity = null;
            ReportInput reportInput = new ReportInput(
                    base,
                    options.mode(),
                    options.activationAlgorithm(),
                    fused,
                    fake,
                    layers,
                    options.floatLayers(),
                    feeds,
                    notesOut);
            if (feeds.isEmpty()) {
                loads(out.file(fakeName));
                loads(out.file(int8Name));
                notesOut.add("no data given: exported models were loaded but not run");
                progress.stage("report");
                report = QualityReports.build(reportInput, scratch.path()).withNotes(notesOut);
            } else {
                try (ReplayChecks checks = ReplayChecks.open(
                        inputs.model(),
                        fused,
                        feeds,
                        deployLayers == layers ? deploy : null,
                        fake,
                        out.file(int8Name),
                        scratch.path(),
                        ReplayChecks.SHARED_ORIGINAL_LIMIT)) {
                    progress.stage("report");
                    report = QualityReports.build(reportInput, scratch.path(), checks);
                    parity = checkedParity(checks, fused, deploy, deployLayers, feeds, notesOut);
                }
                report = report.withNotes(notesOut);
            }
            QualityReports.write(report, out.file(QualityReports.JSON_FILE), out.file(QualityReports.HTML_FILE));

            Manifest manifest = new Manifest(0).options(options);
            manifest.input("model", inputs.model());
            if (inputs.config() != null) manifest.input("config", inputs.config());
            if (inputs.record() != null) manifest.input("record", inputs.record());
            if (inputs.statistics() != null) manifest.input("statistics", inputs.statistics());
            if (inputs.data() != null) addData(manifest, inputs.data());
            List<String> artefacts = List.of(
                    CONFIG_FILE,
                    RECORD_FILE,
                    fakeName,
                    deployName,
                    int8Name,
                    QualityReports.JSON_FILE,
                    QualityReports.HTML_FILE);
            for (String a : artefacts) manifest.output(a, out.file(a));
            for (String a : artefacts) {
                Path data = out.file(a + ".data");
                if (Files.exists(data)) manifest.output(a + ".data", data);
            }
            if (statistics != null) manifest.output(StatisticsFile.FILE_NAME, out.file(StatisticsFile.FILE_NAME));
            manifest.write(out.file(Manifest.FILE_NAME));
            List<String> all = new ArrayList<>(artefacts);
            if (statistics != null) all.add(StatisticsFile.FILE_NAME);
            all.add(Manifest.FILE_NAME);
            out.publish();
            return new QuantizeResult(
                    out.target(),
                    all,
                    layers.stream().map(l -> l.layer().name()).toList(),
                    options.floatLayers(),
                    notesOut,
                    parity);
        }
    }

    /**
     * The checks' results after the replay, as notes; throws when the prepared model or the deploy model fails its
     * check. Where the deploy model's factors differ from the fake-quant model's ({@link DeployLayers}), its parity
     * is checked here against a fake-quant model of its own factors.
     */
    private static ParityReport checkedParity(
            ReplayChecks checks,
            OnnxModel fused,
            OnnxModel deploy,
            List<LayerQuantization> deployLayers,
            List<Map<String, Tensor>> feeds,
            List<String> notes) {
        notes.add("prepared float model vs original: max abs diff " + checks.preparationDiff());
        ParityReport parity = checks.parity(PARITY_TOLERANCE, feeds.size());
        if (parity == null) {
            notes.add("deploy model: Gemm/MatMul weights per tensor (matmul_channel_wise portable); its parity is"
                    + " checked against a fake-quant model with the same factors");
            parity = DeployParityCheck.check(
                    deploy, FakeQuantExporter.export(fused, deployLayers), feeds, PARITY_TOLERANCE);
        }
        if (!parity.passed()) {
            throw new QuantServeException(
                    "verification-failed",
                    "the deploy model's integer reference differs from the fake-quant model by " + parity.maxAbsDiff()
                            + " (tolerance " + PARITY_TOLERANCE + ")");
        }
        notes.add("deploy parity: max |deploy - fake_quant| = " + parity.maxAbsDiff() + " over " + parity.samples()
                + " batch(es)"
                + (parity.integerExact()
                        ? ""
                        : "; float accumulation may round in "
                                + parity.inexactLayers().size() + " layer(s)"));
        notes.add("int8 model: max |int8 - fake_quant| = " + checks.int8Diff());
        return parity;
    }

    private static void loads(Path model) {
        try (InferenceSession s = InferenceSession.open(model, SessionSettings.defaults())) {
            s.inputs();
        }
    }

    private static void addData(Manifest manifest, Path data) {
        if (!Files.isDirectory(data)) {
            manifest.input("data", data);
            return;
        }
        try (Stream<Path> files = Files.walk(data)) {
            files.filter(Files::isRegularFile)
                    .sorted()
                    .forEach(f -> manifest.input(
                            "data/" + data.relativize(f).toString().replace('\\', '/'), f));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
