package io.quantserve.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The WordPiece tokenizer against token ids of bert-base-uncased (the all-MiniLM-L6-v2 vocabulary). */
class BertTokenizerTest {
    private static BertTokenizer tokenizer;

    @BeforeAll
    static void load() {
        tokenizer = BertTokenizer.fromTokenizerJson(RealModels.miniLmTokenizer());
    }

    @Test
    void encodesKnownSentencesToTheReferenceIds() {
        assertThat(tokenizer.encode("hello world", 128)).containsExactly(101, 7592, 2088, 102);
        // The HuggingFace documentation's BERT example.
        assertThat(tokenizer.encode("Hello, my dog is cute", 128))
                .containsExactly(101, 7592, 1010, 2026, 3899, 2003, 10140, 102);
    }

    @Test
    void splitsPunctuationAndSubwordsGreedilyLongestFirst() {
        // The BERT README example, uncased.
        assertThat(tokenizer.tokenize("John Johanson's house"))
                .containsExactly("john", "johan", "##son", "'", "s", "house");
        assertThat(tokenizer.tokenize("unaffable")).containsExactly("una", "##ffa", "##ble");
        assertThat(tokenizer.tokenize("$x^`")).containsExactly("$", "x", "^", "`");
    }

    @Test
    void lowercasesStripsAccentsAndCleansControlCharacters() {
        assertThat(tokenizer.tokenize("Café NAÏVE")).containsExactly("cafe", "naive");
        assertThat(tokenizer.tokenize("hello\u0000\u200b\tworld\u00a0x")).containsExactly("hello", "world", "x");
    }

    @Test
    void cjkIdeographsBecomeWordsOfTheirOwn() {
        assertThat(tokenizer.encode("hello中世world", 16)).containsExactly(101, 7592, 1746, 1745, 2088, 102);
    }

    @Test
    void unknownWordsAndOverlongWordsBecomeUnk() {
        assertThat(tokenizer.tokenize("snow ☃ man")).containsExactly("snow", "[UNK]", "man");
        assertThat(tokenizer.tokenize("a".repeat(101))).containsExactly("[UNK]");
    }

    @Test
    void truncatesToTheMaximumLengthKeepingClsAndSep() {
        assertThat(tokenizer.encode("hello world hello world", 4)).containsExactly(101, 7592, 2088, 102);
    }

    @Test
    void batchesArePaddedToOneLengthWithMaskAndZeroTokenTypes() {
        BertTokenizer.BertBatch batch = tokenizer.encodeBatch(List.of("hello world", "hello"), 6);

        assertThat(batch.inputIds().shape()).containsExactly(2, 6);
        assertThat(batch.inputIds().toLongs()).containsExactly(101, 7592, 2088, 102, 0, 0, 101, 7592, 102, 0, 0, 0);
        assertThat(batch.attentionMask().toLongs()).containsExactly(1, 1, 1, 1, 0, 0, 1, 1, 1, 0, 0, 0);
        assertThat(batch.tokenTypeIds().toLongs()).containsOnly(0);
        assertThat(batch.truncatedRows()).isZero();
        assertThat(tokenizer.encodeBatch(List.of("hello world hello"), 4).truncatedRows())
                .isEqualTo(1);
    }
}
