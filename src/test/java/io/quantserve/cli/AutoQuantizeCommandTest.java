package io.quantserve.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.quantserve.testing.SensitiveChain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code auto-quantize} in-process on {@link SensitiveChain} (six MatMul layers, {@code fc3} ruined by an outlier). */
class AutoQuantizeCommandTest {
    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {
        JsonNode json() {
            return JsonMapper.builder().build().readTree(out);
        }
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = QuantServeCli.execute(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    private String[] args(SensitiveChain chain, Path out, String... extra) {
        String[] base = {
            "auto-quantize",
            "--model",
            chain.model.toString(),
            "--data",
            chain.calibration.toString(),
            "--eval",
            chain.evaluation.toString(),
            "--batch-size",
            "16",
            "--batch-num",
            "4",
            "--out",
            out.toString()
        };
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return all;
    }

    @Test
    void printsTheSearchAsJsonAndKeepsTheSensitiveLayerInFloat() {
        SensitiveChain chain = new SensitiveChain(tmp, 6, 3);
        Path out = tmp.resolve("out");
        Run r = run(args(chain, out, "--metric", "top1", "--max-drop", "2"));
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode json = r.json();
        assertThat(json.propertyNames())
                .containsExactly(
                        "outDir",
                        "metric",
                        "unit",
                        "target",
                        "fp32",
                        "allInt8",
                        "finalValue",
                        "layersInFloat",
                        "candidatesTried",
                        "candidates",
                        "quantizedLayers",
                        "artefacts");
        assertThat(json.get("outDir").asString()).isEqualTo(out.toAbsolutePath().toString());
        assertThat(json.get("metric").asString()).isEqualTo("top1");
        assertThat(json.get("fp32").asDouble()).isEqualTo(100.0);
        assertThat(json.get("allInt8").asDouble()).isLessThan(98.0);
        assertThat(json.get("finalValue").asDouble()).isGreaterThanOrEqualTo(98.0);
        assertThat(json.get("layersInFloat")).hasSize(1);
        assertThat(json.get("layersInFloat").get(0).asString()).isEqualTo("fc3");
        assertThat(json.get("candidatesTried").asInt())
                .isEqualTo(json.get("candidates").size());
        assertThat(out.resolve("rollback_history.json")).isRegularFile();
        assertThat(out.resolve("sensitivity.json")).isRegularFile();
    }

    @Test
    void sqnrTakesAFloorAndAnUnreachableOneExitsRefusedWritingNothing() {
        SensitiveChain chain = new SensitiveChain(tmp, 3, 1);
        Path out = tmp.resolve("out");
        Run r = run(args(chain, out, "--metric", "sqnr", "--min-value", "150"));
        assertThat(r.code()).isEqualTo(QuantServeCli.EXIT_REFUSED);
        assertThat(r.err()).contains("error [accuracy-target-unreachable]").contains("best reached");
        assertThat(r.out()).isEmpty();
        assertThat(out).doesNotExist();

        Run sqnrDrop = run(args(chain, out, "--metric", "sqnr", "--max-drop", "3"));
        assertThat(sqnrDrop.code()).isEqualTo(QuantServeCli.EXIT_REFUSED);
        assertThat(sqnrDrop.err()).contains("give a floor");
    }

    @Test
    void targetOptionsAreExclusiveAndRequired() {
        SensitiveChain chain = new SensitiveChain(tmp, 2, -1);
        Path out = tmp.resolve("out");
        assertThat(run(args(chain, out, "--metric", "cosine")).code()).isEqualTo(QuantServeCli.EXIT_USAGE);
        assertThat(run(args(chain, out, "--metric", "cosine", "--max-drop", "0.1", "--min-value", "0.9"))
                        .code())
                .isEqualTo(QuantServeCli.EXIT_USAGE);
        Run unknown = run(args(chain, out, "--metric", "f1", "--max-drop", "1"));
        assertThat(unknown.code()).isEqualTo(QuantServeCli.EXIT_REFUSED);
        assertThat(unknown.err()).contains("unknown metric 'f1'");
        assertThat(out).doesNotExist();
    }
}
