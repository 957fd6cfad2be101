package io.quantserve.testing;

import io.quantserve.engine.tensor.Tensor;
import java.util.List;

/** Turns equally sized {@link RgbImage}s into an NCHW float32 batch. */
public final class ImageTensors {
    private ImageTensors() {}

    /** Order of the three planes in the tensor. */
    public enum ChannelOrder {
        RGB,
        /** OpenCV's order, used by models trained on {@code cv2.imread} images. */
        BGR
    }

    /** Maps an 8-bit channel value to the model's input value. */
    @FunctionalInterface
    public interface PixelNormalization {
        /**
         * @param plane index of the plane in the tensor (0..2, after {@link ChannelOrder} is applied)
         * @param value the channel value, 0–255
         */
        float apply(int plane, int value);
    }

    /** f32[images, 3, height, width]. */
    public static Tensor nchw(List<RgbImage> images, ChannelOrder order, PixelNormalization normalization) {
        RgbImage first = images.getFirst();
        int w = first.width();
        int h = first.height();
        int plane = w * h;
        float[] out = new float[images.size() * 3 * plane];
        for (int n = 0; n < images.size(); n++) {
            RgbImage image = images.get(n);
            if (image.width() != w || image.height() != h) {
                throw new IllegalArgumentException(
                        "image " + n + " is " + image.width() + "x" + image.height() + ", the batch is " + w + "x" + h);
            }
            for (int p = 0; p < 3; p++) {
                int channel = order == ChannelOrder.RGB ? p : 2 - p;
                int base = (n * 3 + p) * plane;
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        out[base + y * w + x] = normalization.apply(p, image.channel(x, y, channel));
                    }
                }
            }
        }
        return Tensor.ofFloats(new long[] {images.size(), 3, h, w}, out);
    }
}
