package io.quantserve.engine.calibration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Pins every observer's range to the bits it gave before the observers were changed from keeping one histogram each
 * to reading a shared {@link StreamingHistogram}: the refactoring changed where the statistics live, not a single
 * result. The one documented difference is MinMax on data holding only zeros of both signs: its bounds used to keep
 * whichever zero came first; they are now those of the multiset ({@code −0 < +0}), which gives the same INT8 grid.
 */
class ObserverGoldenTest {
    private static final IfmrObserver.Search AMCT = new IfmrObserver.Search(0.999999, 0.999999, 0.7, 1.3, 0.01);
    private static final IfmrObserver.Search INNER = new IfmrObserver.Search(0.999, 0.99, 0.7, 1.3, 0.01);

    private static final List<ActivationObserver> OBSERVERS = List.of(
            new IfmrObserver(AMCT, false),
            new IfmrObserver(INNER, true),
            new HfmgObserver(1024, false),
            new HfmgObserver(1024, true),
            new PercentileObserver(0.999, false),
            new PercentileObserver(0.999, true),
            new KlObserver(2048),
            new MinMaxObserver());

    private static final List<float[]> DATA = List.of(
            Samples.laplace(21, 20_000, 0.3),
            Samples.reluLike(22, 20_000),
            Samples.singleOutlier(23, 20_000, -80f),
            Samples.gaussian(24, 5_000, 3),
            Samples.uniformGrid(4_000, -0.5, 2),
            new float[] {0f, -0f, 1.5f, -0.25f},
            new float[] {-0f, 0f},
            Samples.constant(100, 2.5f));

    /** Per data set, per observer: the raw bits of min and max computed by the observers before the change. */
    private static final int[][] BEFORE = {
        {
            0xc0336f4d,
            0x4011ae75,
            0xbfc641c3,
            0x4012dbc3,
            0xc0365a9e,
            0x402016ec,
            0xc03c7569,
            0x40175dfb,
            0xc00a3000,
            0x400a3000,
            0xc002b000,
            0x3fe3b000,
            0xc02144c9,
            0x402016ec,
            0xc0452e5a,
            0x402016ec
        },
        {
            0x00000000,
            0x4095eb0c,
            0x00000000,
            0x408c688f,
            0x00000000,
            0x4092b59f,
            0x00000000,
            0x4099b984,
            0x00000000,
            0x4059b000,
            0x2b30ea17,
            0x4059b000,
            0x00000000,
            0x406cd6f7,
            0x00000000,
            0x409c2a2d
        },
        {
            0xc2900000,
            0x4064473f,
            0xc03fde0a,
            0x407b259a,
            0xc2917800,
            0x407da47f,
            0xc29bbc7b,
            0x4058e89f,
            0xc052f000,
            0x4052f000,
            0xc04c3000,
            0x4042b000,
            0xc2a00000,
            0x407da47f,
            0xc2a00000,
            0x407da47f
        },
        {
            0xc1318a66,
            0x41354a8c,
            0xc110ec66,
            0x4135535c,
            0xc136b343,
            0x4136b343,
            0xc134dd30,
            0x4138bb08,
            0xc1205000,
            0x41205000,
            0xc1177000,
            0x410c9000,
            0xc12a03e8,
            0x412a03e8,
            0xc1370815,
            0x413ae5ed
        },
        {
            0xbeffd70a,
            0x3ffff5c3,
            0xbefa5ab8,
            0x4003a9b8,
            0xbeffd70a,
            0x3ffef5cd,
            0xbefd5733,
            0x3fff55cd,
            0xbeffd70a,
            0x3fffa800,
            0xbefe9000,
            0x3fffa800,
            0xbeffd70a,
            0x3ffff5c3,
            0xbeffd70a,
            0x3ffff5c3
        },
        {
            0xbe800000,
            0x3fc00000,
            0xbe851eb8,
            0x3fc7ae14,
            0xbe800000,
            0x3fc00000,
            0xbe7e4000,
            0x3fc00000,
            0xbe800000,
            0x3fc00000,
            0xbe800000,
            0x3fc00000,
            0xbe800000,
            0x3e804000,
            0xbe800000,
            0x3fc00000
        },
        {
            0x00000000,
            0x00000000,
            0x00000000,
            0x00000000,
            0x00000000,
            0x00000000,
            0x00000000,
            0x00000000,
            0x80000000,
            0x00000000,
            0x80000000,
            0x00000000,
            0x00000000,
            0x00000000,
            0x80000000,
            0x80000000
        },
        {
            0x00000000,
            0x40200000,
            0x00000000,
            0x40480000,
            0x00000000,
            0x40200000,
            0x00000000,
            0x40200000,
            0x00000000,
            0x40200000,
            0x40200000,
            0x40200000,
            0x00000000,
            0x40200000,
            0x40200000,
            0x40200000
        },
    };

    @Test
    void everyRangeIsBitIdenticalToTheOneBeforeTheSharedStatistics() {
        for (int d = 0; d < DATA.size(); d++) {
            StreamingHistogram shared = Samples.histogram(DATA.get(d));
            for (int o = 0; o < OBSERVERS.size(); o++) {
                ActivationObserver observer = OBSERVERS.get(o);
                ClipRange now = observer.range(shared);
                ClipRange before = new ClipRange(
                        Float.intBitsToFloat(BEFORE[d][2 * o]), Float.intBitsToFloat(BEFORE[d][2 * o + 1]));
                if (d == 6 && observer instanceof MinMaxObserver) {
                    assertThat(now).isEqualTo(new ClipRange(-0f, 0f));
                    assertThat(before).isEqualTo(new ClipRange(-0f, -0f));
                    for (boolean asymmetric : new boolean[] {false, true}) {
                        assertThat(Int8Grid.of(now, asymmetric)).isEqualTo(Int8Grid.of(before, asymmetric));
                    }
                    continue;
                }
                assertThat(Float.floatToRawIntBits(now.min()))
                        .as("data %d, %s: min %s, before %s", d, observer, now.min(), before.min())
                        .isEqualTo(Float.floatToRawIntBits(before.min()));
                assertThat(Float.floatToRawIntBits(now.max()))
                        .as("data %d, %s: max %s, before %s", d, observer, now.max(), before.max())
                        .isEqualTo(Float.floatToRawIntBits(before.max()));
            }
        }
    }
}
