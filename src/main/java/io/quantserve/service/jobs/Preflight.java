package io.quantserve.service.jobs;

import io.quantserve.engine.QuantServeException;
import io.quantserve.engine.calibration.data.BatchPlan;
import io.quantserve.engine.calibration.data.BatchSchedule;
import io.quantserve.engine.calibration.data.BatchStream;
import io.quantserve.engine.calibration.data.CalibrationData;
import io.quantserve.engine.config.ConfigFactory;
import io.quantserve.engine.config.QuantConfig;
import io.quantserve.engine.config.QuantConfigs;
import io.quantserve.engine.inspect.ModelInspection;
import io.quantserve.engine.layers.QuantizableLayer;
import io.quantserve.engine.layers.SkippedNode;
import io.quantserve.engine.pipeline.ModelPreparation;
import io.quantserve.engine.pipeline.PreparedModel;
import io.quantserve.engine.runtime.InferenceSession;
import io.quantserve.engine.runtime.SessionSettings;
import io.quantserve.engine.runtime.ValueSpec;
import io.quantserve.engine.tensor.Tensor;
import io.quantserve.engine.verify.InferenceTiming;
import io.quantserve.service.datasets.DatasetCatalog;
import io.quantserve.service.jobs.PreflightReport.Calibration;
import io.quantserve.service.jobs.PreflightReport.Estimate;
import io.quantserve.service.jobs.PreflightReport.PlannedLayer;
import io.quantserve.service.jobs.PreflightReport.Violation;
import io.quantserve.service.models.Model;
import io.quantserve.service.models.ModelCatalog;
import io.quantserve.service.web.UploadSpool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The dry run of a job: inspects the model, builds and validates the config, checks the calibration (and evaluation)
 * data against the model's inputs and plans the batches, exactly as a worker would before calibrating, and times one
 * float inference of the first batch for the estimate. Nothing is quantized and nothing is stored; every refusal the
 * engine raises becomes a {@link Violation} instead of an error.
 */
@Component
class Preflight {
    /** Bytes of histogram state per quantized layer: two observers of 8192 bins of 8 bytes, generously. */
    private static final long HISTOGRAM_BYTES = 2L * 8192 * 8;

    private final ModelCatalog models;
    private final DatasetCatalog datasets;
    private final UploadSpool spool;
    private final JsonMapper json;

    Preflight(ModelCatalog models, DatasetCatalog datasets, UploadSpool spool, JsonMapper json) {
        this.models = models;
        this.datasets = datasets;
        this.spool = spool;
        this.json = json;
    }

    /** Runs the checks of {@code spec} for the tenant; the references in it must exist. */
    PreflightReport run(UUID tenant, JobSpec spec) {
        Path work = spool.newWorkFolder("preflight");
        try {
            return run(tenant, spec, work);
        } finally {
            UploadSpool.deleteTree(work);
        }
    }

    private PreflightReport run(UUID tenant, JobSpec spec, Path work) {
        List<Violation> violations = new ArrayList<>();
        List<PlannedLayer> layers = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Model model = models.get(tenant, spec.modelId());
        ModelInspection inspection = models.inspection(model);
        inspection.refusals().forEach(r -> violations.add(new Violation("invalid-model", "model_id", r)));
        Path modelFile = models.fetch(tenant, spec.modelId(), folder(work, "model"));
        QuantConfig config = null;
        if (inspection.refusals().isEmpty()) {
            try {
                PreparedModel prepared = ModelPreparation.prepare(modelFile);
                notes.addAll(prepared.changes());
                config = config(spec.options(), prepared);
                QuantConfigs.validateAgainst(config, prepared.scan());
                layers.addAll(plan(prepared, config));
            } catch (QuantServeException e) {
                violations.add(violation(e, spec.options().config() == null ? "options" : "config"));
            }
        }
        Calibration calibration = null;
        Estimate estimate = null;
        List<ValueSpec> inputs = inputs(modelFile, violations);
        if (inputs != null) {
            Path data = datasets.fetch(tenant, spec.datasetId(), folder(work, "data"));
            int batchNum = spec.options().batchNum() != null
                    ? spec.options().batchNum()
                    : config != null ? config.batchNum() : 1;
            try (CalibrationData d = CalibrationData.open(data);
                    BatchStream stream =
                            d.batches(inputs, new BatchPlan(spec.options().batchSize(), batchNum))) {
                BatchSchedule s = stream.schedule();
                calibration = new Calibration(s.batchSize(), s.batches(), s.availableSamples(), s.usedSamples());
                if (s.isShort()) notes.add(s.summary());
                Map<String, Tensor> first = stream.next();
                estimate = estimate(modelFile, first, s.batches(), layers);
            } catch (QuantServeException e) {
                violations.add(violation(e, "dataset_id"));
            }
            if (spec.evaluationDatasetId() != null) {
                Path evaluation = datasets.fetch(tenant, spec.evaluationDatasetId(), folder(work, "evaluation"));
                try (CalibrationData d = CalibrationData.open(evaluation)) {
                    d.check(inputs);
                } catch (QuantServeException e) {
                    violations.add(violation(e, "evaluation_dataset_id"));
                }
            }
        }
        return new PreflightReport(
                violations.isEmpty(),
                layers,
                violations.stream().map(this::redacted).toList(),
                calibration,
                estimate,
                notes);
    }

    private QuantConfig config(JobOptions options, PreparedModel prepared) {
        if (options.config() == null) return ConfigFactory.create(prepared.scan(), options.configOptions());
        return QuantConfigs.parse(json.writeValueAsString(options.config()), "config");
    }

    private static List<PlannedLayer> plan(PreparedModel prepared, QuantConfig config) {
        Set<String> enabled = new HashSet<>(config.enabledLayers());
        List<PlannedLayer> out = new ArrayList<>();
        for (QuantizableLayer l : prepared.scan().layers()) {
            boolean on = enabled.contains(l.name());
            out.add(new PlannedLayer(l.name(), l.type().opType(), on, on ? null : "quant_enable is false"));
        }
        for (SkippedNode s : prepared.scan().skipped()) {
            out.add(new PlannedLayer(s.name(), s.opType(), false, s.reason()));
        }
        return out;
    }

    private static @Nullable List<ValueSpec> inputs(Path modelFile, List<Violation> violations) {
        try (InferenceSession s = InferenceSession.open(modelFile, SessionSettings.defaults())) {
            return s.inputs();
        } catch (QuantServeException e) {
            violations.add(violation(e, "model_id"));
            return null;
        }
    }

    private static Estimate estimate(
            Path modelFile, Map<String, Tensor> batch, int batches, List<PlannedLayer> layers) {
        double millis = InferenceTiming.measure(modelFile, List.of(batch), 0, 1, SessionSettings.defaults())
                .meanMs();
        long batchBytes =
                batch.values().stream().mapToLong(t -> t.data().remaining()).sum();
        long quantized = layers.stream().filter(PlannedLayer::quantize).count();
        long memory = 6 * size(modelFile) + 4 * batchBytes + quantized * HISTOGRAM_BYTES;
        double seconds = 2 + 3 * batches * millis / 1000;
        return new Estimate(memory, Math.round(seconds * 10) / 10.0, Math.round(millis * 100) / 100.0);
    }

    private Violation redacted(Violation v) {
        return new Violation(v.code(), v.field(), spool.redact(v.message()));
    }

    private static Violation violation(QuantServeException e, String field) {
        return new Violation(e.code(), field, String.valueOf(e.getMessage()));
    }

    private static Path folder(Path work, String name) {
        try {
            return Files.createDirectories(work.resolve(name));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("creating " + work.resolve(name), e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("reading the size of " + file, e);
        }
    }
}
