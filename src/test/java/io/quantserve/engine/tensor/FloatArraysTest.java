package io.quantserve.engine.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FloatArraysTest {
    @Test
    void aReleasedArrayIsLentAgainWhenLongEnough() {
        FloatArrays pool = new FloatArrays();
        float[] a = pool.borrow(10);
        assertThat(a).hasSizeGreaterThanOrEqualTo(10);
        pool.release(a);
        assertThat(pool.borrow(8)).isSameAs(a);
        pool.release(a);
        float[] longer = pool.borrow(11);
        assertThat(longer).isNotSameAs(a).hasSizeGreaterThanOrEqualTo(11);
    }

    @Test
    void readCopiesATensorsValuesIntoAReusedArray() {
        FloatArrays pool = new FloatArrays();
        float[] first = pool.read(Tensor.ofFloats(new long[] {2, 2}, new float[] {1, 2, 3, 4}));
        assertThat(first).startsWith(1f, 2f, 3f, 4f);
        pool.release(first);
        float[] second = pool.read(Tensor.ofInts(new long[] {3}, new int[] {-7, 0, 9}));
        assertThat(second).isSameAs(first).startsWith(-7f, 0f, 9f, 4f);
    }

    @Test
    void copyFloatsConvertsLikeToFloatsAndRefusesAShortArray() {
        Tensor t = Tensor.ofLongs(new long[] {3}, new long[] {5, -6, 1 << 20});
        float[] out = new float[5];
        assertThat(t.copyFloats(out)).isEqualTo(3);
        assertThat(out).containsExactly(5f, -6f, 1 << 20, 0f, 0f);
        assertThat(t.toFloats()).containsExactly(5f, -6f, 1 << 20);
        assertThatThrownBy(() -> t.copyFloats(new float[2]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("array of 2 floats for a tensor of 3 elements");
    }
}
