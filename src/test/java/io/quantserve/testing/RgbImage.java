package io.quantserve.testing;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;

/**
 * An 8-bit RGB image, decoded with {@code javax.imageio} and resized in plain Java so the same file always gives the
 * same pixels.
 *
 * @param width pixels per row
 * @param height rows
 * @param rgb pixels row-major, each {@code 0xRRGGBB}
 */
public record RgbImage(int width, int height, int[] rgb) {
    public RgbImage {
        rgb = rgb.clone();
        if (width < 1 || height < 1 || rgb.length != width * height) {
            throw new IllegalArgumentException(
                    "image " + width + "x" + height + " needs " + width * height + " pixels, got " + rgb.length);
        }
    }

    /** The pixels (a copy). */
    @Override
    public int[] rgb() {
        return rgb.clone();
    }

    /** Decodes a JPEG or PNG file (any colour model, converted to sRGB, alpha dropped). */
    public static RgbImage read(Path file) {
        BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("decoding image " + file, e);
        }
        if (image == null) {
            throw new IllegalArgumentException("no javax.imageio decoder reads " + file);
        }
        int w = image.getWidth();
        int h = image.getHeight();
        int[] pixels = image.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] &= 0xffffff;
        }
        return new RgbImage(w, h, pixels);
    }

    /** A filled image. */
    public static RgbImage filled(int width, int height, int rgb) {
        int[] pixels = new int[width * height];
        Arrays.fill(pixels, rgb & 0xffffff);
        return new RgbImage(width, height, pixels);
    }

    /** Channel {@code c} (0 red, 1 green, 2 blue) of pixel ({@code x}, {@code y}), 0–255. */
    public int channel(int x, int y, int c) {
        return (rgb[y * width + x] >> (16 - 8 * c)) & 0xff;
    }

    /**
     * Bilinear resize with OpenCV's {@code INTER_LINEAR} sampling (pixel centres aligned, source coordinates clamped
     * at the border, no anti-aliasing), each channel rounded to the nearest integer as OpenCV's 8-bit output is.
     */
    public RgbImage resize(int newWidth, int newHeight) {
        int[] x0 = new int[newWidth];
        float[] fx = new float[newWidth];
        sampling(width, newWidth, x0, fx);
        int[] y0 = new int[newHeight];
        float[] fy = new float[newHeight];
        sampling(height, newHeight, y0, fy);
        int[] out = new int[newWidth * newHeight];
        for (int y = 0; y < newHeight; y++) {
            int ya = y0[y];
            int yb = Math.min(ya + 1, height - 1);
            for (int x = 0; x < newWidth; x++) {
                int xa = x0[x];
                int xb = Math.min(xa + 1, width - 1);
                int pixel = 0;
                for (int c = 0; c < 3; c++) {
                    float top = channel(xa, ya, c) * (1 - fx[x]) + channel(xb, ya, c) * fx[x];
                    float bottom = channel(xa, yb, c) * (1 - fx[x]) + channel(xb, yb, c) * fx[x];
                    int v = Math.round(top * (1 - fy[y]) + bottom * fy[y]);
                    pixel = (pixel << 8) | Math.clamp(v, 0, 255);
                }
                out[y * newWidth + x] = pixel;
            }
        }
        return new RgbImage(newWidth, newHeight, out);
    }

    private static void sampling(int source, int target, int[] index, float[] fraction) {
        double scale = (double) source / target;
        for (int i = 0; i < target; i++) {
            double s = (i + 0.5) * scale - 0.5;
            int lo = (int) Math.floor(s);
            double f = s - lo;
            if (lo < 0) {
                lo = 0;
                f = 0;
            }
            if (lo >= source - 1) {
                lo = source - 1;
                f = 0;
            }
            index[i] = lo;
            fraction[i] = (float) f;
        }
    }

    /** This image pasted at the top-left corner of a {@code canvasWidth × canvasHeight} canvas filled with {@code fill}. */
    public RgbImage padTopLeft(int canvasWidth, int canvasHeight, int fill) {
        if (canvasWidth < width || canvasHeight < height) {
            throw new IllegalArgumentException("canvas " + canvasWidth + "x" + canvasHeight
                    + " is smaller than the image " + width + "x" + height);
        }
        int[] canvas = new int[canvasWidth * canvasHeight];
        Arrays.fill(canvas, fill & 0xffffff);
        for (int y = 0; y < height; y++) {
            System.arraycopy(rgb, y * width, canvas, y * canvasWidth, width);
        }
        return new RgbImage(canvasWidth, canvasHeight, canvas);
    }
}
