package io.quantserve.service.jobs;

import io.quantserve.service.storage.ByteRange;
import io.quantserve.service.storage.ObjectContent;
import io.quantserve.service.storage.ObjectStore;
import io.quantserve.service.web.ResourceNotFoundException;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * The published artefacts of the tenant's jobs: only rows written by {@link JobQueue#publish} exist, so a listed
 * artefact is always complete in the object store.
 */
@Service
public class ArtifactCatalog {
    private static final RowMapper<Artifact> ROW = (rs, i) -> new Artifact(
            rs.getObject("job_id", UUID.class),
            rs.getString("name"),
            rs.getInt("attempt"),
            rs.getString("object_key"),
            rs.getLong("size_bytes"),
            rs.getString("sha256"),
            rs.getString("content_type"),
            rs.getObject("created_at", OffsetDateTime.class).toInstant());

    private final JdbcClient jdbc;
    private final JobCatalog jobs;
    private final ObjectStore store;
    private final JobsProperties properties;

    ArtifactCatalog(JdbcClient jdbc, JobCatalog jobs, ObjectStore store, JobsProperties properties) {
        this.jdbc = jdbc;
        this.jobs = jobs;
        this.store = store;
        this.properties = properties;
    }

    /**
     * The artefacts of the tenant's job, by name; empty until the job SUCCEEDED.
     *
     * @throws ResourceNotFoundException when the tenant has no such job
     */
    public List<Artifact> list(UUID tenant, UUID jobId) {
        jobs.get(tenant, jobId);
        return jdbc.sql("SELECT * FROM job_artifacts WHERE job_id = :job ORDER BY name")
                .param("job", jobId)
                .query(ROW)
                .list();
    }

    /**
     * One artefact of the tenant's job.
     *
     * @throws ResourceNotFoundException when the job or the artefact does not exist (an unfinished job has none)
     */
    public Artifact get(UUID tenant, UUID jobId, String name) {
        jobs.get(tenant, jobId);
        return jdbc.sql("SELECT * FROM job_artifacts WHERE job_id = :job AND name = :name")
                .param("job", jobId)
                .param("name", name)
                .query(ROW)
                .optional()
                .orElseThrow(() -> new ResourceNotFoundException("artifact", name + "' of job '" + jobId));
    }

    /** Opens the artefact's bytes, all of them or {@code range}; the caller closes the content. */
    public ObjectContent open(Artifact artifact, @Nullable ByteRange range) {
        return store.get(artifact.objectKey(), range);
    }

    /** A URL anyone holding it can download the artefact from for a while; empty when the store cannot sign. */
    public Optional<URI> presigned(Artifact artifact) {
        return store.presignedGet(artifact.objectKey(), properties.presignValidity());
    }
}
