package io.quantserve.service.models;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.ColumnTransformer;

/**
 * A stored model: where its bytes are, their size and SHA-256, and the engine's inspection of it as JSON (a
 * {@link io.quantserve.engine.inspect.ModelInspection}).
 */
@Entity
@Table(name = "models")
public class Model {
    @Id
    private UUID id;

    @Column(name = "tenant_id", nullable = false)
    private UUID tenantId;

    @Column(nullable = false)
    private String name;

    @Column(name = "object_key", nullable = false)
    private String objectKey;

    @Column(name = "size_bytes", nullable = false)
    private long sizeBytes;

    @Column(nullable = false, length = 64)
    private String sha256;

    @Column(nullable = false)
    private long opset;

    @Column(name = "ir_version", nullable = false)
    private long irVersion;

    @Column(nullable = false, columnDefinition = "jsonb")
    @ColumnTransformer(write = "?::jsonb")
    private String inspection;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected Model() {}

    Model(
            UUID id,
            UUID tenantId,
            String name,
            String objectKey,
            long sizeBytes,
            String sha256,
            long opset,
            long irVersion,
            String inspection,
            Instant createdAt) {
        this.id = id;
        this.tenantId = tenantId;
        this.name = name;
        this.objectKey = objectKey;
        this.sizeBytes = sizeBytes;
        this.sha256 = sha256;
        this.opset = opset;
        this.irVersion = irVersion;
        this.inspection = inspection;
        this.createdAt = createdAt;
    }

    public UUID id() {
        return id;
    }

    public UUID tenantId() {
        return tenantId;
    }

    public String name() {
        return name;
    }

    /** Key of the {@code .onnx} file in the object store. */
    public String objectKey() {
        return objectKey;
    }

    public long sizeBytes() {
        return sizeBytes;
    }

    /** Lower-case hex SHA-256 of the stored file. */
    public String sha256() {
        return sha256;
    }

    public long opset() {
        return opset;
    }

    public long irVersion() {
        return irVersion;
    }

    /** The engine's inspection as JSON; {@link ModelCatalog#inspection} reads it back. */
    String inspectionJson() {
        return inspection;
    }

    public Instant createdAt() {
        return createdAt;
    }
}
