package io.quantserve.testing;

import io.quantserve.engine.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The BERT WordPiece tokenizer of a HuggingFace {@code tokenizer.json} (model type {@code WordPiece}, e.g.
 * all-MiniLM-L6-v2): {@link BertBasicTokenizer} words, then greedy longest-match-first sub-words with the {@code ##}
 * continuation prefix; a word with an unmatched rest, or longer than {@code max_input_chars_per_word}, becomes
 * {@code [UNK]}. Sequences are {@code [CLS] tokens [SEP]}, truncated to the maximum length, token type 0.
 */
public final class BertTokenizer {
    private final Map<String, Integer> vocab;
    private final BertBasicTokenizer basic;
    private final String prefix;
    private final int maxCharsPerWord;
    private final String unkToken;
    private final int cls;
    private final int sep;
    private final int pad;

    private BertTokenizer(
            Map<String, Integer> vocab, boolean lowercase, String unkToken, String prefix, int maxCharsPerWord) {
        this.vocab = Map.copyOf(vocab);
        this.basic = new BertBasicTokenizer(lowercase);
        this.prefix = prefix;
        this.maxCharsPerWord = maxCharsPerWord;
        this.unkToken = unkToken;
        id(unkToken);
        this.cls = id("[CLS]");
        this.sep = id("[SEP]");
        this.pad = id("[PAD]");
    }

    /** Reads vocabulary and settings from a HuggingFace {@code tokenizer.json} with a WordPiece model. */
    public static BertTokenizer fromTokenizerJson(Path file) {
        JsonNode root = JsonMapper.builder().build().readTree(file);
        JsonNode model = root.path("model");
        if (!"WordPiece".equals(model.path("type").asString(""))) {
            throw new IllegalArgumentException(
                    file + ": model type is '" + model.path("type").asString("") + "', not WordPiece");
        }
        Map<String, Integer> vocab = new HashMap<>();
        for (Map.Entry<String, JsonNode> e : model.path("vocab").properties()) {
            vocab.put(e.getKey(), e.getValue().asInt());
        }
        boolean lowercase = root.path("normalizer").path("lowercase").asBoolean(true);
        return new BertTokenizer(
                vocab,
                lowercase,
                model.path("unk_token").asString("[UNK]"),
                model.path("continuing_subword_prefix").asString("##"),
                model.path("max_input_chars_per_word").asInt(100));
    }

    private int id(String token) {
        Integer id = vocab.get(token);
        if (id == null) {
            throw new IllegalArgumentException("the vocabulary has no token '" + token + "'");
        }
        return id;
    }

    public int padId() {
        return pad;
    }

    /** The WordPiece tokens of {@code text}, without special tokens. */
    public List<String> tokenize(String text) {
        List<String> out = new ArrayList<>();
        for (String word : basic.words(text)) {
            wordPieces(word, out);
        }
        return out;
    }

    private void wordPieces(String word, List<String> out) {
        int[] cps = word.codePoints().toArray();
        if (cps.length > maxCharsPerWord) {
            out.add(unkToken);
            return;
        }
        List<String> pieces = new ArrayList<>();
        int start = 0;
        while (start < cps.length) {
            String match = null;
            for (int end = cps.length; end > start; end--) {
                String candidate = (start > 0 ? prefix : "") + new String(cps, start, end - start);
                if (vocab.containsKey(candidate)) {
                    match = candidate;
                    start = end;
                    break;
                }
            }
            if (match == null) {
                out.add(unkToken);
                return;
            }
            pieces.add(match);
        }
        out.addAll(pieces);
    }

    /** {@code [CLS] tokens [SEP]} as ids, the tokens cut so the whole fits in {@code maxLength}. */
    public long[] encode(String text, int maxLength) {
        return encode(tokenize(text), maxLength);
    }

    private long[] encode(List<String> tokens, int maxLength) {
        if (maxLength < 2) {
            throw new IllegalArgumentException("maxLength must leave room for [CLS] and [SEP], got " + maxLength);
        }
        int kept = Math.min(tokens.size(), maxLength - 2);
        long[] ids = new long[kept + 2];
        ids[0] = cls;
        for (int i = 0; i < kept; i++) {
            ids[i + 1] = vocab.get(tokens.get(i));
        }
        ids[kept + 1] = sep;
        return ids;
    }

    /**
     * Encodes {@code texts} into equal-length rows: {@code input_ids} padded with {@code [PAD]}, {@code
     * attention_mask} 1 on real tokens, {@code token_type_ids} all 0, each int64[texts, length].
     */
    public BertBatch encodeBatch(List<String> texts, int length) {
        long[] ids = new long[texts.size() * length];
        long[] mask = new long[ids.length];
        int truncated = 0;
        for (int n = 0; n < texts.size(); n++) {
            List<String> tokens = tokenize(texts.get(n));
            if (tokens.size() + 2 > length) {
                truncated++;
            }
            long[] row = encode(tokens, length);
            Arrays.fill(ids, n * length, (n + 1) * length, pad);
            System.arraycopy(row, 0, ids, n * length, row.length);
            Arrays.fill(mask, n * length, n * length + row.length, 1L);
        }
        long[] shape = {texts.size(), length};
        return new BertBatch(
                Tensor.ofLongs(shape, ids),
                Tensor.ofLongs(shape, mask),
                Tensor.ofLongs(shape, new long[ids.length]),
                truncated);
    }

    /**
     * Model-ready int64 inputs of a BERT encoder.
     *
     * @param truncatedRows texts that did not fit the length and lost tokens at their end
     */
    public record BertBatch(Tensor inputIds, Tensor attentionMask, Tensor tokenTypeIds, int truncatedRows) {}
}
