package io.quantserve.service.jobs.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quantserve.service.jobs.Artifact;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * A published artefact of a job.
 *
 * @param sha256 lower-case hex SHA-256 of the content, also its entity tag
 * @param attempt the attempt that produced it
 * @param url where to download it
 */
@Schema(name = "Artifact")
record ArtifactView(
        String name,
        @JsonProperty("size_bytes") long sizeBytes,
        String sha256,
        @JsonProperty("content_type") String contentType,
        int attempt,
        String url) {

    static ArtifactView of(Artifact a) {
        return new ArtifactView(
                a.name(),
                a.sizeBytes(),
                a.sha256(),
                a.contentType(),
                a.attempt(),
                "/v1/jobs/" + a.jobId() + "/artifacts/" + a.name());
    }

    /** The artefacts of a job. */
    @Schema(name = "ArtifactList")
    record ListView(List<ArtifactView> items) {}
}
