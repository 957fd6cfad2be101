package io.quantserve.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.quantserve.engine.calibration.data.NpzWriter;
import io.quantserve.engine.config.MatMulChannelWise;
import io.quantserve.engine.config.QuantConfig;
import io.quantserve.engine.config.QuantConfigs;
import io.quantserve.engine.export.LayerRecord;
import io.quantserve.engine.export.RecordFile;
import io.quantserve.engine.onnx.ModelIo;
import io.quantserve.engine.tensor.Tensor;
import io.quantserve.testing.SampleModels;
import io.quantserve.testing.TinyModel;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --matmul-channel-wise}, {@code --dmq-balancer-param} and the {@code dmq_balancer_param} override key. */
class BeyondAmctCliTest {
    @TempDir
    Path tmp;

    private Path model() {
        Path model = tmp.resolve("tiny.onnx");
        ModelIo.save(SampleModels.allLayerKinds(), model);
        return model;
    }

    @Test
    void createConfigWritesBothOptionsAndTheOverrideTurnsDmqOffPerLayer() {
        Path cfg = tmp.resolve("cfg.json");
        QuantServeCliTest.Run r = QuantServeCliTest.run(
                "create-config",
                "--model",
                model().toString(),
                "--matmul-channel-wise",
                "portable",
                "--dmq-balancer-param",
                "0.5",
                "--override",
                "deconv:dmq_balancer_param=off",
                "--override",
                "proj:dmq_balancer_param=0.75",
                "--out",
                cfg.toString());
        assertThat(r.code()).as(r.err()).isZero();
        QuantConfig config = QuantConfigs.read(cfg);
        assertThat(config.matMulChannelWise()).isEqualTo(MatMulChannelWise.PORTABLE);
        assertThat(config.layer("fc").orElseThrow().weight().channelWise()).isTrue();
        assertThat(config.layer("conv").orElseThrow().dmqBalancerParam()).isEqualTo(0.5);
        assertThat(config.layer("deconv").orElseThrow().dmqBalancerParam()).isNull();
        assertThat(config.layer("proj").orElseThrow().dmqBalancerParam()).isEqualTo(0.75);
        assertThat(config.layer("pool").orElseThrow().dmqBalancerParam()).isNull();
    }

    @Test
    void badValuesAreRefusedNamingTheOption() {
        QuantServeCliTest.Run mode = QuantServeCliTest.run(
                "create-config",
                "--model",
                model().toString(),
                "--matmul-channel-wise",
                "yes",
                "--out",
                tmp.resolve("a.json").toString());
        assertThat(mode.code()).isEqualTo(QuantServeCli.EXIT_REFUSED);
        assertThat(mode.err()).contains("matmul_channel_wise 'yes'");
        QuantServeCliTest.Run alpha = QuantServeCliTest.run(
                "create-config",
                "--model",
                model().toString(),
                "--override",
                "conv:dmq_balancer_param=2",
                "--out",
                tmp.resolve("b.json").toString());
        assertThat(alpha.code()).isEqualTo(QuantServeCli.EXIT_REFUSED);
        assertThat(alpha.err()).contains("conv").contains("dmq_balancer_param");
    }

    /** Every weight layer kind balanced (Conv, grouped ConvTranspose, Gemm transB, MatMul), every model verified. */
    @Test
    void quantizeBalancesEveryWeightLayerKindAndPassesVerification() {
        Path data = tmp.resolve("calib.npz");
        var arrays = new LinkedHashMap<String, Tensor>();
        arrays.put("x", TinyModel.random(7, -1f, 1f, 12, 2, 6, 6));
        NpzWriter.write(data, arrays, true);
        Path out = tmp.resolve("out");
        QuantServeCliTest.Run r = QuantServeCliTest.run(
                "quantize",
                "--model",
                model().toString(),
                "--data",
                data.toString(),
                "--matmul-channel-wise",
                "all",
                "--dmq-balancer-param",
                "0.5",
                "--batch-size",
                "4",
                "--batch-num",
                "2",
                "--out",
                out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        Map<String, LayerRecord> record = RecordFile.read(out.resolve("record.txt"));
        assertThat(record.get("conv").tensorBalanceFactor()).hasSize(2);
        assertThat(record.get("deconv").tensorBalanceFactor()).hasSize(4);
        assertThat(record.get("fc").tensorBalanceFactor()).hasSize(54);
        assertThat(record.get("proj").tensorBalanceFactor()).hasSize(5);
        assertThat(record.get("pool").balanced()).isFalse();
        assertThat(record.get("fc").scaleW()).hasSize(5);
        assertThat(record.get("proj").scaleW()).hasSize(3);
        assertThat(r.out())
                .contains("DMQ balancing: 4 layer(s) balanced")
                .contains("deploy parity: max |deploy - fake_quant|");
    }
}
