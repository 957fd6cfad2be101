package io.quantserve.service.datasets;

import io.quantserve.engine.calibration.data.DataFormat;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.ColumnTransformer;
import org.jspecify.annotations.Nullable;

/** A stored dataset: where its bytes are, their size and SHA-256, and what the engine read from its headers. */
@Entity
@Table(name = "datasets")
public class Dataset {
    @Id
    private UUID id;

    @Column(name = "tenant_id", nullable = false)
    private UUID tenantId;

    @Column(nullable = false)
    private String name;

    @Column(name = "object_key", nullable = false)
    private String objectKey;

    @Column(nullable = false)
    private DataFormat format;

    @Column(name = "size_bytes", nullable = false)
    private long sizeBytes;

    @Column(nullable = false, length = 64)
    private String sha256;

    @Column(name = "sample_count")
    private @Nullable Long sampleCount;

    @Column(nullable = false, columnDefinition = "jsonb")
    @ColumnTransformer(write = "?::jsonb")
    private String arrays;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected Dataset() {}

    Dataset(
            UUID id,
            UUID tenantId,
            String name,
            String objectKey,
            DataFormat format,
            long sizeBytes,
            String sha256,
            @Nullable Long sampleCount,
            String arrays,
            Instant createdAt) {
        this.id = id;
        this.tenantId = tenantId;
        this.name = name;
        this.objectKey = objectKey;
        this.format = format;
        this.sizeBytes = sizeBytes;
        this.sha256 = sha256;
        this.sampleCount = sampleCount;
        this.arrays = arrays;
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

    /** Key of the stored file: {@code data.npz}, {@code data.npy} or {@code data.zip} (a zipped test-data folder). */
    public String objectKey() {
        return objectKey;
    }

    public DataFormat format() {
        return format;
    }

    public long sizeBytes() {
        return sizeBytes;
    }

    public String sha256() {
        return sha256;
    }

    /**
     * Samples in the dataset: the shared first-axis length of NumPy arrays (null when the arrays disagree), or the
     * number of sets of a test-data folder.
     */
    public @Nullable Long sampleCount() {
        return sampleCount;
    }

    String arraysJson() {
        return arrays;
    }

    public Instant createdAt() {
        return createdAt;
    }
}
