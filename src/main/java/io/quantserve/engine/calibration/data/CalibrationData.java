package io.quantserve.engine.calibration.data;

import io.quantserve.engine.InvalidDataException;
import io.quantserve.engine.runtime.ValueSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Calibration or evaluation data on disk, streamed to a model batch by batch.
 *
 * <p>Formats ({@link #open} tells them apart by content, not by name):
 *
 * <ul>
 *   <li><b>.npz</b>: arrays keyed by model input name; extra arrays are ignored; a single-input model accepts a
 *       single-array archive whatever its key. The first axis of each array counts samples, the other axes must
 *       equal the model input's dimensions wherever the model fixes them (&gt; 0). All inputs need the same sample
 *       count.
 *   <li><b>.npy</b>: one array, for a single-input model, same shape rule.
 *   <li><b>test-data folder</b> ({@code test_data_set_<i>/input_<k>.pb}): each set is one whole feed, for models
 *       whose inputs share no sample axis; every set must hold exactly the model's inputs, in order, with the
 *       model's element types and fixed dimensions. Here a "sample" is a set and the batch size does not apply.
 * </ul>
 *
 * <p>Element types follow {@link DtypeConversion}'s policy: float data converts between float widths (float64 to
 * float32 included, overflow is an error), integer data widens losslessly, and integer or bool data for a float input
 * is refused with a hint to save the preprocessed float array, because the scaling belongs to the model.
 *
 * <p>Order is deterministic: samples are read in file order, so splitting the same samples into different batch sizes
 * yields the same concatenation. NaN and infinity are refused while streaming, naming the input and the sample.
 * Memory is bounded by one batch: arrays are never loaded whole.
 */
public sealed interface CalibrationData extends AutoCloseable permits ArrayCalibrationData, TestDataCalibrationData {

    /**
     * Opens a dataset: a folder is read as a test-data folder, a file as {@code .npz} (zip) or {@code .npy} by its
     * leading bytes. Only headers are read.
     *
     * @throws InvalidDataException when the path is none of these or a header is unreadable
     */
    static CalibrationData open(Path path) {
        if (Files.isDirectory(path)) {
            return new TestDataCalibrationData(OnnxTestDataFolder.open(path));
        }
        if (!Files.isRegularFile(path)) {
            throw new InvalidDataException("calibration data '" + path + "' does not exist");
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(path)) {
            head = in.readNBytes(6);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + path, e);
        }
        if (head.length >= 4 && head[0] == 'P' && head[1] == 'K') {
            return new ArrayCalibrationData(NpzArchive.open(path));
        }
        if (head.length == 6 && Arrays.equals(head, 1, 6, new byte[] {'N', 'U', 'M', 'P', 'Y'}, 0, 5)) {
            return new ArrayCalibrationData(NpyFile.open(path));
        }
        throw new InvalidDataException("calibration data '" + path
                + "' is neither a NumPy .npz (zip) or .npy file nor a folder of test_data_set_<i>/input_<k>.pb");
    }

    /** Arrays, element types, shapes and sample count, from headers only. */
    DatasetDescription describe();

    /**
     * Checks the data against a model's inputs without reading payloads (NaN/inf show up only while streaming).
     *
     * @param inputs the model's inputs, e.g. {@code InferenceSession.inputs()}
     * @throws InvalidDataException naming the input at fault: no data for it, wrong shape, element type refused,
     *     differing sample counts, or no samples at all
     */
    DataFit check(List<ValueSpec> inputs);

    /**
     * Starts one pass over the data. Checks as {@link #check} does, then plans the batches: when the data holds
     * fewer than {@code batchSize × batchNum} samples, what exists is used and {@link BatchSchedule#isShort()} says
     * so. Several streams may be open at once.
     *
     * @throws InvalidDataException as {@link #check}, or when not one batch can be formed
     * @throws io.quantserve.engine.InvalidConfigException when the model fixes its batch dimension to another size
     */
    BatchStream batches(List<ValueSpec> inputs, BatchPlan plan);

    @Override
    void close();
}
