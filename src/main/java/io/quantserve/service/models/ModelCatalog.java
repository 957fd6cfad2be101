package io.quantserve.service.models;

import io.quantserve.engine.InvalidModelException;
import io.quantserve.engine.config.ConfigFactory;
import io.quantserve.engine.config.ConfigOptions;
import io.quantserve.engine.config.QuantConfigs;
import io.quantserve.engine.inspect.ModelInspection;
import io.quantserve.engine.inspect.ModelInspector;
import io.quantserve.engine.onnx.ModelIo;
import io.quantserve.engine.onnx.OnnxModel;
import io.quantserve.engine.pipeline.ModelPreparation;
import io.quantserve.service.storage.ObjectContent;
import io.quantserve.service.storage.ObjectInfo;
import io.quantserve.service.storage.ObjectStore;
import io.quantserve.service.storage.StorageException;
import io.quantserve.service.web.Cursor;
import io.quantserve.service.web.CursorPage;
import io.quantserve.service.web.LimitExceededException;
import io.quantserve.service.web.LimitsProperties;
import io.quantserve.service.web.PayloadTooLargeException;
import io.quantserve.service.web.ResourceNotFoundException;
import io.quantserve.service.web.SpooledFile;
import io.quantserve.service.web.UploadSpool;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.InputStreamSource;
import org.springframework.data.domain.Limit;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The model registry. An upload is inspected before anything is stored: a file the engine cannot read as an ONNX
 * model is refused ({@code InvalidModelException}) and leaves no row and no object. A model with external data is
 * stored as its {@code .onnx} file plus one object per data file (under {@value #DATA_FOLDER}, at the file's
 * {@code location}), and fetched back into one folder with the same layout. A stored model has its object
 * written first and its row second, so a row never points at a missing object; a failed row insert removes the
 * object again. Every method takes the tenant and never sees another tenant's models.
 */
@Service
public class ModelCatalog {
    /** File name of a model in the object store and in work folders. */
    public static final String FILE_NAME = "model.onnx";
    /** Folder of a model's external-data files under its object-store prefix, relative to the model file. */
    static final String DATA_FOLDER = "data/";

    private static final Logger log = LoggerFactory.getLogger(ModelCatalog.class);

    private final Models models;
    private final ObjectStore store;
    private final UploadSpool spool;
    private final ModelProperties properties;
    private final LimitsProperties limits;
    private final TransactionTemplate transactions;
    private final JsonMapper json;
    private final Clock clock;

    ModelCatalog(
            Models models,
            ObjectStore store,
            UploadSpool spool,
            ModelProperties properties,
            LimitsProperties limits,
            TransactionTemplate transactions,
            JsonMapper json,
            Clock clock) {
        this.models = models;
        this.store = store;
        this.spool = spool;
        this.properties = properties;
        this.limits = limits;
        this.transactions = transactions;
        this.json = json;
        this.clock = clock;
    }

    /**
     * Inspects and stores an uploaded model: a single {@code .onnx} file, or a zip holding one {@code .onnx} file and
     * its external-data files.
     *
     * @param upload the model file or zip as received (deleted by the caller afterwards)
     * @throws io.quantserve.engine.InvalidModelException when the file is not a readable ONNX model, a zip entry or
     *     an external-data location leaves the model's folder, or a data file is missing
     * @throws LimitExceededException when a model input has more dimensions than allowed
     */
    public Model register(UUID tenant, String name, SpooledFile upload) {
        if (!ModelArchive.isZip(upload.path())) {
            return store(tenant, name, upload.path(), upload.sha256());
        }
        Path work = spool.newWorkFolder("model-zip");
        try {
            Path modelFile =
                    ModelArchive.unpack(upload.path(), work, properties.maxUnpackedSize(), properties.maxEntries());
            String display = name.endsWith(".zip") ? modelFile.getFileName().toString() : name;
            return store(tenant, display, modelFile, sha256(modelFile));
        } finally {
            UploadSpool.deleteTree(work);
        }
    }

    /**
     * Inspects and stores a model uploaded with its external-data files as separate parts.
     *
     * @param upload the {@code .onnx} file as received, alone in its scratch folder; the data files are written next
     *     to it (and go when the caller deletes the upload)
     * @param dataFiles the model's external-data files, each named by the {@code location} the model gives it
     * @throws io.quantserve.engine.InvalidModelException as {@link #register(UUID, String, SpooledFile)}, and when a
     *     part is named by no location of the model
     * @throws PayloadTooLargeException when the model and its data files together exceed the upload limit
     */
    public Model register(UUID tenant, String name, SpooledFile upload, List<DataFile> dataFiles) {
        Path folder = upload.path().getParent();
        String modelFileName = upload.path().getFileName().toString();
        long total = upload.size();
        for (DataFile data : dataFiles) {
            String location = ExternalDataFiles.check(data.location(), modelFileName);
            Path target = folder.resolve(location);
            if (Files.exists(target)) {
                throw new InvalidModelException("two data file parts are named '" + location + "'");
            }
            total = receive(data, target, total);
        }
        OnnxModel model = ModelIo.load(upload.path());
        List<String> locations = ExternalDataFiles.locations(model.proto(), modelFileName);
        for (DataFile data : dataFiles) {
            if (!locations.contains(data.location())) {
                throw new InvalidModelException("data file part '" + data.location()
                        + "' is no external data location of the model (it names " + locations + ")");
            }
        }
        return store(tenant, name, upload.path(), upload.sha256());
    }

    /**
     * An external-data file of a multipart upload.
     *
     * @param location the model's {@code location} entry for the file: a relative path inside the model's folder
     * @param content the file's bytes
     */
    public record DataFile(String location, InputStreamSource content) {}

    /**
     * The tenant's model {@code id}.
     *
     * @throws ResourceNotFoundException when the tenant has no such model
     */
    public Model get(UUID tenant, UUID id) {
        return models.findByIdAndTenantId(id, tenant).orElseThrow(() -> new ResourceNotFoundException("model", id));
    }

    /** The tenant's models, newest first, {@code limit} after {@code after} (from the start when {@code null}). */
    public CursorPage<Model> list(UUID tenant, @Nullable Cursor after, int limit) {
        Limit fetch = Limit.of(limit + 1);
        List<Model> rows = after == null
                ? models.newest(tenant, fetch)
                : models.newestAfter(tenant, after.createdAt(), after.id(), fetch);
        return CursorPage.of(rows, limit, m -> new Cursor(m.createdAt(), m.id()));
    }

    /** Removes the row, then the stored files; files that cannot be removed are logged and left behind. */
    public void delete(UUID tenant, UUID id) {
        Model model = get(tenant, id);
        transactions.executeWithoutResult(status -> {
            models.delete(model);
            models.flush();
        });
        removeQuietly(prefix(tenant, id));
    }

    /** The engine's inspection of a stored model, as it was when the model was uploaded. */
    public ModelInspection inspection(Model model) {
        return json.readValue(model.inspectionJson(), ModelInspection.class);
    }

    /**
     * Copies a stored model into {@code folder} (streamed) with its external-data files at their locations, and
     * returns the model file, named {@link #FILE_NAME}.
     *
     * @throws ResourceNotFoundException when the tenant has no such model
     */
    public Path fetch(UUID tenant, UUID id, Path folder) {
        Model model = get(tenant, id);
        Path root = folder.toAbsolutePath().normalize();
        Path file = root.resolve(FILE_NAME);
        copy(model.objectKey(), file, id);
        String data = prefix(tenant, id) + DATA_FOLDER;
        for (ObjectInfo info : store.list(data)) {
            Path target = root.resolve(info.key().substring(data.length())).normalize();
            if (!target.startsWith(root) || target.equals(file)) {
                throw new StorageException("stored data file '" + info.key() + "' lies outside the model's folder");
            }
            try {
                Files.createDirectories(target.getParent());
            } catch (IOException e) {
                throw new UncheckedIOException("creating " + target.getParent(), e);
            }
            copy(info.key(), target, id);
        }
        return file;
    }

    private void copy(String key, Path target, UUID id) {
        try (ObjectContent content = store.get(key, null)) {
            Files.copy(content.stream(), target);
        } catch (IOException e) {
            throw new StorageException("copying model '" + id + "' from the object store failed", e);
        }
    }

    /**
     * Checks and stores the model {@code modelFile} with the external-data files next to it: the engine loads it
     * (refusing locations outside its folder), the inspection must pass the limits, then the objects are written
     * (data files under {@value #DATA_FOLDER} at their locations) and the row last.
     */
    private Model store(UUID tenant, String name, Path modelFile, String sha256) {
        OnnxModel onnx = ModelIo.load(modelFile);
        List<String> locations = ExternalDataFiles.locations(
                onnx.proto(), modelFile.getFileName().toString());
        ModelInspection inspection = ModelInspector.inspect(onnx);
        checkInputRanks(inspection);
        UUID id = UUID.randomUUID();
        String prefix = prefix(tenant, id);
        String key = prefix + FILE_NAME;
        Path folder = modelFile.toAbsolutePath().getParent();
        long size;
        try {
            size = Files.size(modelFile);
            store.put(key, modelFile, "application/octet-stream");
            for (String location : locations) {
                Path data = folder.resolve(location);
                size += Files.size(data);
                store.put(prefix + DATA_FOLDER + location, data, "application/octet-stream");
            }
        } catch (IOException e) {
            removeQuietly(prefix);
            throw new UncheckedIOException("reading the uploaded model's files", e);
        } catch (RuntimeException e) {
            removeQuietly(prefix);
            throw e;
        }
        Model model = new Model(
                id,
                tenant,
                name,
                key,
                size,
                sha256,
                inspection.opset(),
                inspection.irVersion(),
                json.writeValueAsString(inspection),
                now());
        try {
            return models.save(model);
        } catch (RuntimeException e) {
            removeQuietly(prefix);
            throw e;
        }
    }

    private void checkInputRanks(ModelInspection inspection) {
        for (ModelInspection.ValueDescription input : inspection.inputs()) {
            if (input.shape().size() > limits.maxModelInputRank()) {
                throw new LimitExceededException(
                        HttpStatus.UNPROCESSABLE_CONTENT,
                        LimitExceededException.TENSOR_RANK,
                        "model input '" + input.name() + "' has "
                                + input.shape().size()
                                + " dimensions; at most " + limits.maxModelInputRank()
                                + " are allowed (quantserve.limits.max-model-input-rank)");
            }
        }
    }

    /** Copies a data part into {@code target}, counting its bytes into {@code total} against the upload limit. */
    private long receive(DataFile data, Path target, long total) {
        long written = total;
        try {
            Files.createDirectories(target.getParent());
            try (InputStream in = data.content().getInputStream();
                    OutputStream out = Files.newOutputStream(target)) {
                byte[] buffer = new byte[64 * 1024];
                int n;
                while ((n = in.read(buffer)) > 0) {
                    written += n;
                    if (written > spool.limit().toBytes()) {
                        throw new PayloadTooLargeException("the model with its data files", spool.limit());
                    }
                    out.write(buffer, 0, n);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("receiving data file part '" + data.location() + "'", e);
        }
        return written;
    }

    private static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) > 0) sha.update(buffer, 0, n);
            return HexFormat.of().formatHex(sha.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("hashing " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * AMCT's {@code create_quant_config} for a stored model, as the config file's JSON text.
     *
     * @throws io.quantserve.engine.InvalidConfigException when an option names no quantizable layer
     */
    public String createConfig(UUID tenant, UUID id, ConfigOptions options) {
        Path work = spool.newWorkFolder("config");
        try {
            Path file = fetch(tenant, id, work);
            return QuantConfigs.toJson(
                    ConfigFactory.create(ModelPreparation.prepare(file).scan(), options));
        } finally {
            UploadSpool.deleteTree(work);
        }
    }

    private static String prefix(UUID tenant, UUID id) {
        return tenant + "/models/" + id + "/";
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private void removeQuietly(String prefix) {
        try {
            store.deleteAll(prefix);
        } catch (StorageException | UncheckedIOException e) {
            log.warn("objects under '{}' could not be removed and are left behind: {}", prefix, e.getMessage());
        }
    }
}
