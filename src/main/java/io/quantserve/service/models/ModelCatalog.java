package io.quantserve.service.models;

import io.quantserve.engine.config.ConfigFactory;
import io.quantserve.engine.config.ConfigOptions;
import io.quantserve.engine.config.QuantConfigs;
import io.quantserve.engine.inspect.ModelInspection;
import io.quantserve.engine.inspect.ModelInspector;
import io.quantserve.engine.onnx.ModelIo;
import io.quantserve.engine.pipeline.ModelPreparation;
import io.quantserve.service.storage.ObjectContent;
import io.quantserve.service.storage.ObjectStore;
import io.quantserve.service.storage.StorageException;
import io.quantserve.service.web.Cursor;
import io.quantserve.service.web.CursorPage;
import io.quantserve.service.web.ResourceNotFoundException;
import io.quantserve.service.web.SpooledFile;
import io.quantserve.service.web.UploadSpool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.Limit;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The model registry. An upload is inspected before anything is stored: a file the engine cannot read as an ONNX
 * model is refused ({@code InvalidModelException}) and leaves no row and no object. A stored model has its object
 * written first and its row second, so a row never points at a missing object; a failed row insert removes the
 * object again. Every method takes the tenant and never sees another tenant's models.
 */
@Service
public class ModelCatalog {
    /** File name of a model in the object store and in work folders. */
    public static final String FILE_NAME = "model.onnx";

    private static final Logger log = LoggerFactory.getLogger(ModelCatalog.class);

    private final Models models;
    private final ObjectStore store;
    private final UploadSpool spool;
    private final TransactionTemplate transactions;
    private final JsonMapper json;
    private final Clock clock;

    ModelCatalog(
            Models models,
            ObjectStore store,
            UploadSpool spool,
            TransactionTemplate transactions,
            JsonMapper json,
            Clock clock) {
        this.models = models;
        this.store = store;
        this.spool = spool;
        this.transactions = transactions;
        this.json = json;
        this.clock = clock;
    }

    /**
     * Inspects and stores an uploaded model.
     *
     * @param upload the model file as received (deleted by the caller afterwards)
     * @throws io.quantserve.engine.InvalidModelException when the file is not a readable ONNX model
     */
    public Model register(UUID tenant, String name, SpooledFile upload) {
        ModelInspection inspection = ModelInspector.inspect(ModelIo.load(upload.path()));
        UUID id = UUID.randomUUID();
        String key = prefix(tenant, id) + FILE_NAME;
        store.put(key, upload.path(), "application/octet-stream");
        Model model = new Model(
                id,
                tenant,
                name,
                key,
                upload.size(),
                upload.sha256(),
                inspection.opset(),
                inspection.irVersion(),
                json.writeValueAsString(inspection),
                now());
        try {
            return models.save(model);
        } catch (RuntimeException e) {
            removeQuietly(prefix(tenant, id));
            throw e;
        }
    }

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
     * Copies a stored model into {@code folder} (streamed) and returns the file, named {@link #FILE_NAME}.
     *
     * @throws ResourceNotFoundException when the tenant has no such model
     */
    public Path fetch(UUID tenant, UUID id, Path folder) {
        Model model = get(tenant, id);
        Path file = folder.resolve(FILE_NAME);
        try (ObjectContent content = store.get(model.objectKey(), null)) {
            Files.copy(content.stream(), file);
        } catch (IOException e) {
            throw new StorageException("copying model '" + id + "' from the object store failed", e);
        }
        return file;
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
