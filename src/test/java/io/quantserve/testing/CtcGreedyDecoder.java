package io.quantserve.testing;

import io.quantserve.engine.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Greedy CTC decoding as PaddleOCR's {@code CTCLabelDecode} does it: the best class per time step, repeats collapsed,
 * blanks dropped. Classes: 0 is the blank, 1..K the characters of the key file in line order, K+1 a space.
 */
public final class CtcGreedyDecoder {
    private final List<String> classes;

    private CtcGreedyDecoder(List<String> classes) {
        this.classes = List.copyOf(classes);
    }

    /** Reads a PaddleOCR key file ({@code ppocr_keys_v1.txt}: one character per line, UTF-8) and appends the space. */
    public static CtcGreedyDecoder fromKeys(Path keys) {
        List<String> lines;
        try {
            lines = Files.readAllLines(keys, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading CTC keys " + keys, e);
        }
        List<String> classes = new ArrayList<>(lines.size() + 2);
        classes.add("");
        classes.addAll(lines);
        classes.add(" ");
        return new CtcGreedyDecoder(classes);
    }

    /** Classes including blank and space (6625 for {@code ppocr_keys_v1.txt}). */
    public int classCount() {
        return classes.size();
    }

    /**
     * Decodes {@code probabilities} [N, T, C] (any monotone scores) into N strings.
     *
     * @throws IllegalArgumentException when C differs from {@link #classCount()}
     */
    public List<String> decode(Tensor probabilities) {
        if (probabilities.rank() != 3 || probabilities.dim(2) != classes.size()) {
            throw new IllegalArgumentException(
                    "CTC scores must be [N, T, " + classes.size() + "], got " + probabilities);
        }
        int n = Math.toIntExact(probabilities.dim(0));
        int steps = Math.toIntExact(probabilities.dim(1));
        int c = classes.size();
        float[] v = probabilities.toFloats();
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            StringBuilder text = new StringBuilder();
            int previous = -1;
            for (int t = 0; t < steps; t++) {
                int best = Accuracy.argmax(v, (i * steps + t) * c, c);
                if (best != 0 && best != previous) {
                    text.append(classes.get(best));
                }
                previous = best;
            }
            out.add(text.toString());
        }
        return out;
    }
}
