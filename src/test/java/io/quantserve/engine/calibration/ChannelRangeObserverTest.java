package io.quantserve.engine.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ChannelRangeObserverTest {
    /** [N=2, C=3, 2] values where channel c of sample n holds {@code (n+1)·(c+1)·(±1, 0.5)}. */
    private static float[] nchw() {
        float[] v = new float[12];
        for (int n = 0; n < 2; n++) {
            for (int c = 0; c < 3; c++) {
                int base = (n * 3 + c) * 2;
                float m = (n + 1) * (c + 1);
                v[base] = n == 0 ? -m : m;
                v[base + 1] = 0.5f * m;
            }
        }
        return v;
    }

    @Test
    void convolutionInputsAreReducedPerChannelOverBatchAndSpatialAxes() {
        ChannelRangeObserver o = new ChannelRangeObserver(3, -2);
        o.accept(new long[] {2, 3, 2}, nchw());
        assertThat(o.absMax()).containsExactly(2f, 4f, 6f);
        assertThat(o.range()).isEqualTo(new ClipRange(-3f, 6f));
    }

    @Test
    void lastAxisChannelsWithSeveralLeadingAxes() {
        float[] v = {1, -7, 2, 0, 3, 5, -4, 1, 0, 0, 0, 9};
        ChannelRangeObserver o = new ChannelRangeObserver(3, -1);
        o.accept(new long[] {2, 2, 3}, v);
        assertThat(o.absMax()).containsExactly(4f, 7f, 9f);
    }

    @Test
    void splittingTheSamplesIntoBatchesGivesTheSameMaxima() {
        float[] all = nchw();
        ChannelRangeObserver whole = new ChannelRangeObserver(3, -2);
        whole.accept(new long[] {2, 3, 2}, all);
        ChannelRangeObserver split = new ChannelRangeObserver(3, -2);
        split.accept(new long[] {1, 3, 2}, Arrays.copyOfRange(all, 0, 6));
        split.accept(new long[] {1, 3, 2}, Arrays.copyOfRange(all, 6, 12));
        assertThat(split.absMax()).containsExactly(whole.absMax());
    }

    @Test
    void nothingSeenGivesZeroMaximaAndAZeroRange() {
        ChannelRangeObserver o = new ChannelRangeObserver(2, -1);
        assertThat(o.absMax()).containsExactly(0f, 0f);
        assertThat(o.range()).isEqualTo(new ClipRange(0f, 0f));
    }

    @Test
    void shapeWithoutTheChannelAxisIsRefused() {
        ChannelRangeObserver o = new ChannelRangeObserver(3, -2);
        assertThatThrownBy(() -> o.accept(new long[] {2, 4, 2}, new float[16]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no axis -2 of 3 channels");
        assertThatThrownBy(() -> o.accept(new long[] {3}, new float[3])).isInstanceOf(IllegalArgumentException.class);
    }
}
