package io.quantserve.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.quantserve.engine.tensor.Tensor;
import io.quantserve.testing.ImageTensors.ChannelOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Resizing, letterboxing and NCHW packing on tiny synthetic images. */
class ImagePreprocessingTest {

    @Test
    void bilinearResizeSamplesAtPixelCentresLikeOpenCv() {
        // One row 0, 100 (red channel) upscaled to 4: OpenCV INTER_LINEAR gives 0, 25, 75, 100.
        RgbImage src = new RgbImage(2, 1, new int[] {0x000000, 0x640000});

        RgbImage up = src.resize(4, 1);

        assertThat(List.of(up.channel(0, 0, 0), up.channel(1, 0, 0), up.channel(2, 0, 0), up.channel(3, 0, 0)))
                .containsExactly(0, 25, 75, 100);
        assertThat(src.resize(2, 1).rgb()).containsExactly(src.rgb());
    }

    @Test
    void downscalingByTwoAveragesPixelPairs() {
        RgbImage src = new RgbImage(4, 1, new int[] {0x0a0000, 0x140000, 0x1e0000, 0x280000}); // 10 20 30 40

        RgbImage down = src.resize(2, 1);

        assertThat(down.channel(0, 0, 0)).isEqualTo(15);
        assertThat(down.channel(1, 0, 0)).isEqualTo(35);
    }

    @Test
    void letterboxKeepsAspectAndPadsBottomRightWithGrey114() {
        RgbImage wide = RgbImage.filled(200, 100, 0xff0000);

        RgbImage boxed = DatasetArrays.letterbox(wide, 416);

        assertThat(boxed.width()).isEqualTo(416);
        assertThat(boxed.height()).isEqualTo(416);
        assertThat(boxed.rgb()[0]).isEqualTo(0xff0000); // image at the top-left
        assertThat(boxed.rgb()[207 * 416 + 415]).isEqualTo(0xff0000); // last image row: 100 * 2.08 = 208 rows
        assertThat(boxed.rgb()[208 * 416]).isEqualTo(0x727272); // padding below
    }

    @Test
    void nchwPacksPlanesInTheRequestedChannelOrder() {
        RgbImage pixel = new RgbImage(1, 1, new int[] {0x0a141e}); // r 10, g 20, b 30

        Tensor rgb = ImageTensors.nchw(List.of(pixel, pixel), ChannelOrder.RGB, (plane, v) -> v);
        Tensor bgr = ImageTensors.nchw(List.of(pixel), ChannelOrder.BGR, (plane, v) -> v + 1000 * plane);

        assertThat(rgb.shape()).containsExactly(2, 3, 1, 1);
        assertThat(rgb.toFloats()).containsExactly(10, 20, 30, 10, 20, 30);
        assertThat(bgr.toFloats()).containsExactly(30, 1020, 2010);
    }
}
