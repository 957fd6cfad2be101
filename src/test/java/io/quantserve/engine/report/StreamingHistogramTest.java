package io.quantserve.engine.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class StreamingHistogramTest {
    private static final int B = StreamingHistogram.BINS;

    /** Dyadic values and ranges keep every bin edge exact, so direct binning is an exact reference. */
    @Test
    void growingEqualsBinningOnceOverTheFinalRange() {
        StreamingHistogram h = new StreamingHistogram(-1, 1);
        Random r = new Random(7);
        double[] values = new double[5000];
        for (int i = 0; i < values.length; i++) {
            values[i] = Math.scalb((double) (r.nextInt(1 << 15) - (1 << 14)), -14); // [-1, 1), multiples of 2^-14
            if (i == 100) values[i] = 13.5; // forces growth upwards after some values
            if (i == 200) values[i] = -7.25; // and downwards
        }
        for (double v : values) h.add(v);
        QualityReport.Histogram result = h.result();

        // [-1, 1] → up to [-1, 3] → [-1, 7] → [-1, 15] → down to [-17, 15].
        assertThat(result.lo()).isEqualTo(-17.0);
        assertThat(result.hi()).isEqualTo(15.0);
        long[] expected = new long[B];
        for (double v : values) {
            expected[Math.min(B - 1, (int) Math.floor((v + 17) / 32 * B))]++;
        }
        assertThat(result.counts()).containsExactly(expected);
    }

    @Test
    void valuesInsideTheStartRangeNeverMoveIt() {
        StreamingHistogram h = new StreamingHistogram(-0.5, 1.5);
        h.add(-0.5);
        h.add(1.5);
        h.add(0.0);
        QualityReport.Histogram r = h.result();
        assertThat(r.lo()).isEqualTo(-0.5);
        assertThat(r.hi()).isEqualTo(1.5);
        assertThat(r.counts()[0]).isEqualTo(1);
        assertThat(r.counts()[B - 1])
                .as("the upper bound falls in the last bin")
                .isEqualTo(1);
        assertThat(r.counts()[B / 4]).isEqualTo(1);
    }

    @Test
    void refusesAnEmptyRange() {
        assertThatThrownBy(() -> new StreamingHistogram(1, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
