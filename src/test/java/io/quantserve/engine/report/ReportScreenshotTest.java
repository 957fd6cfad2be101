package io.quantserve.engine.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.quantserve.engine.pipeline.QuantizeResult;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renders report.html in headless Chromium (Debian package {@code chromium}) and checks the screenshot: the right
 * size, not blank, the SQNR chart's red suggested-skip bar and the histogram that only the page's JavaScript draws
 * (its bars have a colour nothing else on the page uses). Skipped only when no Chromium binary is installed. The
 * screenshot is kept as {@code target/report-screenshots/report.png} for a human look.
 */
class ReportScreenshotTest {
    private static final int WIDTH = 1400;
    private static final int HEIGHT = 2000;
    private static final int[] HISTOGRAM_GREEN = {0x2a, 0x7f, 0x62};
    private static final int[] SKIP_RED = {0xc0, 0x39, 0x2b};

    @TempDir
    Path tmp;

    /** The first {@code chromium} or {@code chromium-browser} executable on the PATH. */
    static Optional<Path> chromium() {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.of(path.split(File.pathSeparator))
                .filter(d -> !d.isEmpty())
                .flatMap(d -> Stream.of(Path.of(d, "chromium"), Path.of(d, "chromium-browser")))
                .filter(Files::isExecutable)
                .findFirst();
    }

    @Test
    void reportRendersInHeadlessChromium() throws Exception {
        Optional<Path> browser = chromium();
        assumeTrue(
                browser.isPresent(),
                "no chromium binary on the PATH: screenshot test skipped (Debian: apt-get install -y chromium)");
        ReportFixtures f = new ReportFixtures(tmp);
        QuantizeResult q = f.quantize("first");
        QuantizeResult bad = f.saveEdited(q, r -> ReportFixtures.narrowed(r, "fc", 8f), true, "bad");
        Path png = tmp.resolve("report.png");
        Path log = tmp.resolve("chromium.log");

        Process p = new ProcessBuilder(List.of(
                        browser.get().toString(),
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--no-first-run",
                        "--hide-scrollbars",
                        "--force-device-scale-factor=1",
                        "--user-data-dir=" + tmp.resolve("profile"),
                        "--window-size=" + WIDTH + "," + HEIGHT,
                        "--screenshot=" + png,
                        bad.outDir().resolve("report.html").toUri().toString()))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        boolean finished = p.waitFor(120, TimeUnit.SECONDS);
        if (!finished) p.destroyForcibly();
        assertThat(finished)
                .as("chromium finished within 120 s; log: %s", Files.readString(log))
                .isTrue();
        assertThat(p.exitValue())
                .as("chromium exit code; log: %s", Files.readString(log))
                .isZero();
        assertThat(png).as("screenshot written; log: %s", Files.readString(log)).isRegularFile();
        Path kept =
                Files.createDirectories(Path.of("target", "report-screenshots")).resolve("report.png");
        Files.copy(png, kept, StandardCopyOption.REPLACE_EXISTING);

        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(WIDTH);
        assertThat(image.getHeight()).isEqualTo(HEIGHT);
        assertThat(luminanceStdDev(image)).as("not a blank page").isGreaterThan(10);
        assertThat(pixelsNear(image, HISTOGRAM_GREEN))
                .as("the script drew the histogram")
                .isGreaterThan(1000);
        assertThat(pixelsNear(image, SKIP_RED))
                .as("the chart and histogram show the suggested skip layer and clipped values in red")
                .isGreaterThan(500);
    }

    private static double luminanceStdDev(BufferedImage image) {
        double sum = 0;
        double sumSq = 0;
        long n = (long) image.getWidth() * image.getHeight();
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                double l = 0.299 * ((rgb >> 16) & 0xff) + 0.587 * ((rgb >> 8) & 0xff) + 0.114 * (rgb & 0xff);
                sum += l;
                sumSq += l * l;
            }
        }
        double mean = sum / n;
        return Math.sqrt(Math.max(0, sumSq / n - mean * mean));
    }

    private static long pixelsNear(BufferedImage image, int[] colour) {
        long count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                if (Math.abs(((rgb >> 16) & 0xff) - colour[0]) <= 6
                        && Math.abs(((rgb >> 8) & 0xff) - colour[1]) <= 6
                        && Math.abs((rgb & 0xff) - colour[2]) <= 6) count++;
            }
        }
        return count;
    }
}
