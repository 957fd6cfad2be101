package io.quantserve.service.jobs.web;

import io.quantserve.service.jobs.JobCatalog;
import io.quantserve.service.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** {@code GET /v1/jobs/{id}/events}: a Server-Sent Events stream of the job until it ends. */
@RestController
@Tag(name = "jobs")
@RequestMapping("/v1/jobs")
class JobEventController {
    private final JobCatalog catalog;
    private final JobEventStreams streams;

    JobEventController(JobCatalog catalog, JobEventStreams streams) {
        this.catalog = catalog;
        this.streams = streams;
    }

    @Operation(
            operationId = "streamJobEvents",
            summary = "Follow a job as Server-Sent Events until it reaches SUCCEEDED, FAILED or CANCELLED",
            description = "Every event is 'event: job' with the Job as JSON data, sent when state, stage or progress"
                    + " changed; the first event shows the job as it is, the last one its final state, then the"
                    + " stream ends.",
            responses =
                    @ApiResponse(
                            responseCode = "200",
                            description = "OK",
                            content =
                                    @Content(
                                            mediaType = MediaType.TEXT_EVENT_STREAM_VALUE,
                                            schema = @Schema(type = "string"))))
    @GetMapping(path = "/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter events(Caller caller, @PathVariable UUID id) {
        catalog.get(caller.tenantId(), id);
        return streams.open(caller.tenantId(), id);
    }
}
