package io.quantserve.engine.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quantserve.engine.InvalidConfigException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** AMCT's {@code tensor_balance_factor} record field (DMQ balancing): written, read back, validated. */
class RecordBalanceFactorTest {
    @Test
    void balanceFactorsRoundTripBitIdenticallyAfterTheWeightScales() {
        Map<String, LayerRecord> records = new LinkedHashMap<>();
        records.put(
                "conv", new LayerRecord(0.05f, 3, new float[] {0.01f, 0.02f}, new int[2], new float[] {0.25f, 8f, 1f}));
        records.put("fc", new LayerRecord(0.1f, 0, new float[] {0.3f}, new int[1]));
        String text = RecordFile.format(records);
        assertThat(text)
                .contains("tensor_balance_factor: 0.25")
                .contains("tensor_balance_factor: 8.0")
                .contains("tensor_balance_factor: 1.0");
        assertThat(text.indexOf("offset_w")).isLessThan(text.indexOf("tensor_balance_factor"));
        Map<String, LayerRecord> back = RecordFile.parse(text, "r.txt");
        assertThat(back).isEqualTo(records);
        assertThat(back.get("conv").balanced()).isTrue();
        assertThat(back.get("conv").factors().balanceFactors()).containsExactly(0.25f, 8f, 1f);
        assertThat(back.get("fc").balanced()).isFalse();
        assertThat(back.get("fc").factors().balanceFactors()).isEmpty();
    }

    @Test
    void factorsOutsideAmctsRangeOrOnActivationOnlyLayersAreRefusedWithTheirLine() {
        String zero = "record { key: \"c\" value { scale_d: 0.1 offset_d: 0 scale_w: 0.1 offset_w: 0\n"
                + " tensor_balance_factor: 0 } }";
        assertThatThrownBy(() -> RecordFile.parse(zero, "z.txt"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("line 1, layer 'c': tensor_balance_factor[0] must lie in [FLT_EPSILON,"
                        + " 1/FLT_EPSILON], got 0.0");
        String huge = "record { key: \"c\" value { scale_d: 0.1 offset_d: 0 scale_w: 0.1 offset_w: 0"
                + " tensor_balance_factor: 1 tensor_balance_factor: 1e9 } }";
        assertThatThrownBy(() -> RecordFile.parse(huge, "h.txt")).hasMessageContaining("tensor_balance_factor[1]");
        String pool = "record { key: \"p\" value { scale_d: 0.1 offset_d: 0 tensor_balance_factor: 2 } }";
        assertThatThrownBy(() -> RecordFile.parse(pool, "p.txt"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("layer 'p': tensor_balance_factor needs a layer with weights");
    }
}
