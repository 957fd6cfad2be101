package io.quantserve.engine.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quantserve.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

class OutputDifferenceTest {
    private static Tensor values(float... v) {
        return Tensor.ofFloats(new long[] {v.length}, v);
    }

    @Test
    void nanAgainstNanAgreesAndNanOnOneSideDiffersByInfinity() {
        OutputDifference d = new OutputDifference("y");
        d.add(values(1f, Float.NaN, -4f), values(1.5f, Float.NaN, -4f));
        assertThat(d.maxAbsDiff()).isEqualTo(0.5);
        assertThat(d.maxReference()).as("NaN left out").isEqualTo(4.0);
        assertThat(d.parity()).isEqualTo(new OutputParity("y", 3, 0.5, 0.5 / 1.5));

        d.add(values(2f), values(Float.NaN));
        assertThat(d.maxAbsDiff()).isInfinite();
        assertThat(d.parity().elements()).isEqualTo(4);
    }

    @Test
    void refusesDifferentNumbersOfValues() {
        assertThatThrownBy(() -> new OutputDifference("y").add(values(1f, 2f), values(1f)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("output 'y': 2 reference values against 1");
    }
}
