package io.quantserve.engine.accuracy;

import io.quantserve.engine.export.Manifest;
import io.quantserve.engine.pipeline.StagedOutput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Publishes the chosen candidate, all or nothing: its artefacts (config, record, models, quality report) with
 * {@value SearchFiles#SENSITIVITY_FILE} and {@value SearchFiles#HISTORY_FILE} added and a manifest that covers them
 * all, whose inputs are the user's (model, calibration data, evaluation set, config) rather than the scratch files
 * of the re-export.
 */
final class Publication {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Publication() {}

    /**
     * The manifest's {@code options}.
     *
     * @param mode {@code auto-quantize}
     * @param layersInFloat the layers the search kept in float
     * @param calibration the options of the calibration run (its manifest's {@code options})
     * @param export the options of the run that wrote the published models ({@code save} from the record when a
     *     layer was kept in float)
     */
    record Options(
            String mode,
            String metric,
            String unit,
            String target,
            int evaluationBatchSize,
            String rankBy,
            int maxFloatLayers,
            List<String> layersInFloat,
            JsonNode calibration,
            JsonNode export) {}

    /** The {@code options} of the manifest a pipeline run wrote into {@code dir}. */
    static JsonNode runOptions(Path dir) {
        Path file = dir.resolve(Manifest.FILE_NAME);
        try {
            return MAPPER.readTree(Files.readString(file)).get("options");
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
    }

    /**
     * Moves the files of {@code from} (except its manifest) into a staged {@code outDir}, adds the search files and
     * the manifest, then publishes.
     *
     * @return the published file names, sorted, the manifest last
     */
    static List<String> publish(
            Path from,
            AutoQuantizeRequest request,
            SearchFiles.Sensitivity sensitivity,
            SearchFiles.History history,
            Options options) {
        try (StagedOutput out = new StagedOutput(request.quantize().outDir())) {
            List<String> names = new ArrayList<>();
            for (Path f : files(from)) {
                String name = f.getFileName().toString();
                if (name.equals(Manifest.FILE_NAME)) continue;
                move(f, out.file(name));
                names.add(name);
            }
            SearchFiles.write(sensitivity, out.file(SearchFiles.SENSITIVITY_FILE));
            SearchFiles.write(history, out.file(SearchFiles.HISTORY_FILE));
            names.add(SearchFiles.SENSITIVITY_FILE);
            names.add(SearchFiles.HISTORY_FILE);
            names.sort(null);

            Manifest manifest = new Manifest(0).options(options);
            manifest.input("model", request.quantize().model());
            addData(manifest, "data", request.quantize().data());
            addData(manifest, "evaluation", request.evaluationSet());
            Path config = request.quantize().config();
            if (config != null) manifest.input("config", config);
            for (String name : names) manifest.output(name, out.file(name));
            manifest.write(out.file(Manifest.FILE_NAME));
            names.add(Manifest.FILE_NAME);
            out.publish();
            return names;
        }
    }

    private static List<Path> files(Path dir) {
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + dir, e);
        }
    }

    private static void move(Path from, Path to) {
        try {
            Files.move(from, to);
        } catch (IOException e) {
            throw new UncheckedIOException("moving " + from + " to " + to, e);
        }
    }

    /** A data file under {@code role}, or every file of a test-data folder under {@code role/<relative path>}. */
    private static void addData(Manifest manifest, String role, Path data) {
        if (!Files.isDirectory(data)) {
            manifest.input(role, data);
            return;
        }
        try (Stream<Path> files = Files.walk(data)) {
            files.filter(Files::isRegularFile)
                    .sorted()
                    .forEach(f -> manifest.input(
                            role + "/" + data.relativize(f).toString().replace('\\', '/'), f));
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + data, e);
        }
    }
}
