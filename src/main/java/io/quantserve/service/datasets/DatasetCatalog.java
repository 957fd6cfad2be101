package io.quantserve.service.datasets;

import io.quantserve.engine.calibration.data.ArrayInfo;
import io.quantserve.engine.calibration.data.CalibrationData;
import io.quantserve.engine.calibration.data.DataFormat;
import io.quantserve.engine.calibration.data.DatasetDescription;
import io.quantserve.service.storage.ObjectContent;
import io.quantserve.service.storage.ObjectStore;
import io.quantserve.service.storage.StorageException;
import io.quantserve.service.web.Cursor;
import io.quantserve.service.web.CursorPage;
import io.quantserve.service.web.LimitExceededException;
import io.quantserve.service.web.LimitsProperties;
import io.quantserve.service.web.ResourceNotFoundException;
import io.quantserve.service.web.SpooledFile;
import io.quantserve.service.web.UploadSpool;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.Limit;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The dataset registry. An upload is described by the engine ({@code CalibrationData.describe}, headers only) before
 * anything is stored: a file that is neither {@code .npz}, {@code .npy} nor a zip of an ONNX test-data folder is
 * refused ({@code InvalidDataException}) and leaves no row and no object, as is one over the
 * {@link LimitsProperties limits} on samples, array rank and array elements. Object first, row second, as for models.
 */
@Service
public class DatasetCatalog {
    private static final Logger log = LoggerFactory.getLogger(DatasetCatalog.class);
    private static final TypeReference<List<ArrayDescription>> ARRAYS = new TypeReference<>() {};

    private final Datasets datasets;
    private final ObjectStore store;
    private final UploadSpool spool;
    private final DatasetProperties properties;
    private final LimitsProperties limits;
    private final TransactionTemplate transactions;
    private final JsonMapper json;
    private final Clock clock;

    DatasetCatalog(
            Datasets datasets,
            ObjectStore store,
            UploadSpool spool,
            DatasetProperties properties,
            LimitsProperties limits,
            TransactionTemplate transactions,
            JsonMapper json,
            Clock clock) {
        this.datasets = datasets;
        this.store = store;
        this.spool = spool;
        this.properties = properties;
        this.limits = limits;
        this.transactions = transactions;
        this.json = json;
        this.clock = clock;
    }

    /**
     * Describes and stores an uploaded dataset.
     *
     * @throws io.quantserve.engine.InvalidDataException when the file is not a dataset the engine reads
     */
    public Dataset register(UUID tenant, String name, SpooledFile upload) {
        boolean zipOfTensors = isZip(upload.path()) && TestDataArchive.holdsTensorFiles(upload.path());
        DatasetDescription description = zipOfTensors ? describeArchive(upload.path()) : describe(upload.path());
        checkLimits(description);
        UUID id = UUID.randomUUID();
        String key = prefix(tenant, id) + fileName(description.format());
        store.put(key, upload.path(), "application/octet-stream");
        List<ArrayDescription> arrays =
                description.arrays().stream().map(ArrayDescription::of).toList();
        Dataset dataset = new Dataset(
                id,
                tenant,
                name,
                key,
                description.format(),
                upload.size(),
                upload.sha256(),
                description.sampleCount().isPresent()
                        ? description.sampleCount().getAsLong()
                        : null,
                json.writeValueAsString(arrays),
                clock.instant().truncatedTo(ChronoUnit.MICROS));
        try {
            return datasets.save(dataset);
        } catch (RuntimeException e) {
            removeQuietly(prefix(tenant, id));
            throw e;
        }
    }

    private void checkLimits(DatasetDescription description) {
        if (description.sampleCount().isPresent()
                && description.sampleCount().getAsLong() > limits.maxSamplesPerDataset()) {
            throw new LimitExceededException(
                    HttpStatus.CONTENT_TOO_LARGE,
                    LimitExceededException.SAMPLES,
                    "the dataset holds " + description.sampleCount().getAsLong() + " samples; at most "
                            + limits.maxSamplesPerDataset()
                            + " are allowed (quantserve.limits.max-samples-per-dataset)");
        }
        for (ArrayInfo array : description.arrays()) {
            long[] shape = array.shape();
            if (shape.length > limits.maxTensorRank()) {
                throw new LimitExceededException(
                        HttpStatus.UNPROCESSABLE_CONTENT,
                        LimitExceededException.TENSOR_RANK,
                        "array '" + array.name() + "' has " + shape.length + " dimensions; at most "
                                + limits.maxTensorRank() + " are allowed (quantserve.limits.max-tensor-rank)");
            }
            long elements = 1;
            for (long d : shape) {
                elements = d > 0 && elements > Long.MAX_VALUE / d ? Long.MAX_VALUE : elements * Math.max(d, 0);
            }
            if (elements > limits.maxTensorElements()) {
                throw new LimitExceededException(
                        HttpStatus.CONTENT_TOO_LARGE,
                        LimitExceededException.TENSOR_SIZE,
                        "array '" + array.name() + "' " + Arrays.toString(shape) + " has "
                                + (elements == Long.MAX_VALUE ? "more than " + Long.MAX_VALUE : elements)
                                + " elements; at most " + limits.maxTensorElements()
                                + " are allowed (quantserve.limits.max-tensor-elements)");
            }
        }
    }

    /**
     * The tenant's dataset {@code id}.
     *
     * @throws ResourceNotFoundException when the tenant has no such dataset
     */
    public Dataset get(UUID tenant, UUID id) {
        return datasets.findByIdAndTenantId(id, tenant).orElseThrow(() -> new ResourceNotFoundException("dataset", id));
    }

    /** The tenant's datasets, newest first, {@code limit} after {@code after} (from the start when {@code null}). */
    public CursorPage<Dataset> list(UUID tenant, @Nullable Cursor after, int limit) {
        Limit fetch = Limit.of(limit + 1);
        List<Dataset> rows = after == null
                ? datasets.newest(tenant, fetch)
                : datasets.newestAfter(tenant, after.createdAt(), after.id(), fetch);
        return CursorPage.of(rows, limit, d -> new Cursor(d.createdAt(), d.id()));
    }

    /** Removes the row, then the stored file; a file that cannot be removed is logged and left behind. */
    public void delete(UUID tenant, UUID id) {
        Dataset dataset = get(tenant, id);
        transactions.executeWithoutResult(status -> {
            datasets.delete(dataset);
            datasets.flush();
        });
        removeQuietly(prefix(tenant, id));
    }

    /** The arrays of a stored dataset as described on upload. */
    public List<ArrayDescription> arrays(Dataset dataset) {
        return json.readValue(dataset.arraysJson(), ARRAYS);
    }

    /**
     * Copies a stored dataset into the empty folder {@code folder} (streamed; a zipped test-data folder is unpacked)
     * and returns the path to hand to {@code CalibrationData.open}.
     *
     * @throws ResourceNotFoundException when the tenant has no such dataset
     */
    public Path fetch(UUID tenant, UUID id, Path folder) {
        Dataset dataset = get(tenant, id);
        Path file = folder.resolve(fileName(dataset.format()));
        try (ObjectContent content = store.get(dataset.objectKey(), null)) {
            Files.copy(content.stream(), file);
        } catch (IOException e) {
            throw new StorageException("copying dataset '" + id + "' from the object store failed", e);
        }
        if (dataset.format() != DataFormat.ONNX_TEST_DATA) return file;
        Path root = TestDataArchive.unpack(
                file, folder.resolve("data"), properties.maxUnpackedSize().toBytes(), properties.maxEntries());
        deleteQuietly(file);
        return root;
    }

    private DatasetDescription describeArchive(Path zip) {
        Path work = spool.newWorkFolder("dataset");
        try {
            Path root = TestDataArchive.unpack(
                    zip, work, properties.maxUnpackedSize().toBytes(), properties.maxEntries());
            return describe(root);
        } finally {
            UploadSpool.deleteTree(work);
        }
    }

    private static DatasetDescription describe(Path path) {
        try (CalibrationData data = CalibrationData.open(path)) {
            return data.describe();
        }
    }

    private static boolean isZip(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(2);
            return head.length == 2 && head[0] == 'P' && head[1] == 'K';
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
    }

    private static String fileName(DataFormat format) {
        return switch (format) {
            case NPZ -> "data.npz";
            case NPY -> "data.npy";
            case ONNX_TEST_DATA -> "data.zip";
        };
    }

    private static String prefix(UUID tenant, UUID id) {
        return tenant + "/datasets/" + id + "/";
    }

    private void removeQuietly(String prefix) {
        try {
            store.deleteAll(prefix);
        } catch (StorageException | UncheckedIOException e) {
            log.warn("objects under '{}' could not be removed and are left behind: {}", prefix, e.getMessage());
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover copy in the caller's work folder goes when the caller deletes the folder
        }
    }
}
