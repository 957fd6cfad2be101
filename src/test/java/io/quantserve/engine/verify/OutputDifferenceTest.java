package io.quantserve.engine.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quantserve.engine.tensor.Tensor;
import io.quantserve.testing.HeapAllocations;
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

    @Test
    void floatOutputsAreComparedInPlaceAndOtherTypesAsFloats() {
        // Two 4 MB float outputs: read in place, no copy of either (each check compares every retained sample's).
        float[] a = new float[1 << 20];
        float[] b = new float[1 << 20];
        for (int i = 0; i < a.length; i++) {
            a[i] = i * 0.5f;
            b[i] = i * 0.5f + (i == 777 ? 0.25f : 0f);
        }
        Tensor reference = Tensor.ofFloats(new long[] {a.length}, a);
        Tensor candidate = Tensor.ofFloats(new long[] {b.length}, b);
        OutputDifference d = new OutputDifference("y");
        d.add(reference, candidate);
        long allocated = HeapAllocations.allocatedBy(() -> d.add(reference, candidate));
        assertThat(allocated)
                .as("heap bytes allocated comparing two 4 MB outputs")
                .isLessThan(64 * 1024);
        assertThat(d.maxAbsDiff()).isEqualTo(0.25);
        assertThat(d.maxReference()).isEqualTo((a.length - 1) * 0.5);
        assertThat(d.parity().elements()).isEqualTo(2L * a.length);

        OutputDifference ints = new OutputDifference("labels");
        ints.add(
                Tensor.ofInts(new long[] {3}, new int[] {1, 2, 3}), Tensor.ofInts(new long[] {3}, new int[] {1, 5, 3}));
        assertThat(ints.maxAbsDiff()).isEqualTo(3.0);
    }
}
