package io.quantserve.testing;

import java.nio.file.Path;
import java.util.List;

/** The command line of a plain {@code quantize} run, for the tests that start the CLI one way or another. */
public final class QuantizeArgs {
    private QuantizeArgs() {}

    /** {@code quantize --model M --data D --batch-size B --batch-num N --out DIR}. */
    public static List<String> of(Path model, Path data, int batchSize, int batchNum, Path out) {
        return List.of(
                "quantize",
                "--model",
                model.toString(),
                "--data",
                data.toString(),
                "--batch-size",
                Integer.toString(batchSize),
                "--batch-num",
                Integer.toString(batchNum),
                "--out",
                out.toString());
    }
}
