package io.quantserve.engine.quant;

import static org.assertj.core.api.Assertions.assertThat;

import io.quantserve.engine.calibration.ClipRange;
import io.quantserve.engine.calibration.HfmgObserver;
import io.quantserve.engine.calibration.IfmrObserver;
import io.quantserve.engine.calibration.Int8Grid;
import io.quantserve.engine.calibration.KlObserver;
import io.quantserve.engine.calibration.MinMaxObserver;
import io.quantserve.engine.calibration.PercentileObserver;
import io.quantserve.engine.calibration.ProgressListener;
import io.quantserve.engine.calibration.StreamingHistogram;
import io.quantserve.engine.config.ActivationAlgorithm;
import io.quantserve.engine.layers.LayerFinder;
import io.quantserve.engine.layers.LayerScan;
import io.quantserve.engine.onnx.Attributes;
import io.quantserve.engine.onnx.OnnxModel;
import io.quantserve.engine.runtime.SessionSettings;
import io.quantserve.engine.tensor.DataType;
import io.quantserve.engine.tensor.Tensor;
import io.quantserve.testing.TinyModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ActivationObserversTest {
    @TempDir
    Path tmp;

    @Test
    void eachAlgorithmGetsItsObserver() {
        assertThat(ActivationObservers.create(ActivationAlgorithm.amctDefault(), true))
                .isInstanceOf(IfmrObserver.class);
        assertThat(ActivationObservers.create(ActivationAlgorithm.Hfmg.DEFAULT, false))
                .isInstanceOf(HfmgObserver.class);
        assertThat(ActivationObservers.create(new ActivationAlgorithm.MinMax(), false))
                .isInstanceOf(MinMaxObserver.class);
        assertThat(ActivationObservers.create(ActivationAlgorithm.Percentile.DEFAULT, true))
                .isInstanceOf(PercentileObserver.class);
        assertThat(ActivationObservers.create(ActivationAlgorithm.Kl.DEFAULT, true))
                .isInstanceOf(KlObserver.class);
    }

    @Test
    void ifmrParametersReachTheObserver() {
        // Percentile 0.9 on 0..99: the initial clip is 89 and a single ratio 1.0 keeps it.
        var ifmr = new ActivationAlgorithm.Ifmr(0.9, 0.9, 1.0, 1.5, 0.5);
        var o = ActivationObservers.create(ifmr, true);
        float[] v = new float[100];
        for (int i = 0; i < v.length; i++) v[i] = i;
        StreamingHistogram stats = new StreamingHistogram();
        stats.accept(v);
        assertThat(o.range(stats).max()).isCloseTo(89f, org.assertj.core.data.Offset.offset(0.1f));
    }

    @Test
    void describeNamesOneAlgorithmOrTheMix() {
        assertThat(ActivationObservers.describe(List.of())).isEqualTo("none");
        assertThat(ActivationObservers.describe(
                        List.of(ActivationAlgorithm.amctDefault(), new ActivationAlgorithm.Ifmr(1, 1, 0.9, 1.1, 0.1))))
                .isEqualTo("ifmr");
        assertThat(ActivationObservers.describe(List.of(
                        ActivationAlgorithm.amctDefault(),
                        ActivationAlgorithm.Hfmg.DEFAULT,
                        ActivationAlgorithm.amctDefault())))
                .isEqualTo("mixed: hfmg (1), ifmr (2)");
    }

    @Test
    void int8GridMatchesActivationFactors() {
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < 20_000; i++) {
            float a = (float) (r.nextDouble(-1, 1) * Math.pow(10, r.nextInt(-9, 4)));
            float b = (float) (r.nextDouble(-1, 1) * Math.pow(10, r.nextInt(-9, 4)));
            ClipRange range = new ClipRange(Math.min(a, b), Math.max(a, b));
            for (boolean asymmetric : new boolean[] {false, true}) {
                ActivationParams p = ActivationFactors.compute("layer", range, asymmetric);
                Int8Grid g = Int8Grid.of(range, asymmetric);
                assertThat(g.scale()).as("%s asymmetric %s", range, asymmetric).isEqualTo(p.scale());
                assertThat(g.offset()).as("%s asymmetric %s", range, asymmetric).isEqualTo(p.offset());
            }
        }
    }

    /** x feeds two convolutions; each layer's input range comes from its own algorithm. */
    private static OnnxModel twoReaders() {
        return TinyModel.create()
                .input("x", DataType.FLOAT, 0, 1, 8, 8)
                .initializer("wa", TinyModel.random(1, -0.5f, 0.5f, 2, 1, 3, 3))
                .initializer("wb", TinyModel.random(2, -0.5f, 0.5f, 2, 1, 3, 3))
                .namedNode("a", "Conv", List.of("x", "wa"), List.of("ya"), Attributes.ofInts("pads", 1, 1, 1, 1))
                .namedNode("b", "Conv", List.of("x", "wb"), List.of("yb"), Attributes.ofInts("pads", 1, 1, 1, 1))
                .output("ya", DataType.FLOAT, 0, 2, 8, 8)
                .output("yb", DataType.FLOAT, 0, 2, 8, 8)
                .build();
    }

    private LayerQuantizer.Result factors(Function<LayerPlan, ActivationAlgorithm> algorithms) {
        OnnxModel model = twoReaders();
        LayerScan scan = LayerFinder.scan(model.proto());
        List<LayerPlan> plans =
                scan.layers().stream().map(l -> new LayerPlan(l, false, true)).toList();
        List<Map<String, Tensor>> batches = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < 4; i++) {
            float[] v = new float[64];
            for (int j = 0; j < v.length; j++) v[j] = (float) r.nextGaussian();
            batches.add(Map.of("x", Tensor.ofFloats(new long[] {1, 1, 8, 8}, v)));
        }
        return LayerQuantizer.computeFactors(
                model,
                plans,
                algorithms,
                batches.iterator(),
                batches.size(),
                SessionSettings.defaults(),
                ProgressListener.NONE,
                tmp);
    }

    @Test
    void layersReadingOneTensorKeepTheirOwnAlgorithm() {
        var mixed = factors(p -> p.layer().name().equals("a")
                ? new ActivationAlgorithm.MinMax()
                : new ActivationAlgorithm.Percentile(0.9));
        assertThat(mixed.ranges()).containsOnlyKeys("a", "b");
        ClipRange a = mixed.ranges().get("a");
        ClipRange b = mixed.ranges().get("b");
        assertThat(b.max()).isLessThan(a.max());
        assertThat(b.min()).isGreaterThan(a.min());
        assertThat(mixed.factors().get("a").activation().scale())
                .isGreaterThan(mixed.factors().get("b").activation().scale());

        var same = factors(p -> new ActivationAlgorithm.MinMax());
        assertThat(same.ranges().get("a")).isEqualTo(same.ranges().get("b")).isEqualTo(a);
    }
}
