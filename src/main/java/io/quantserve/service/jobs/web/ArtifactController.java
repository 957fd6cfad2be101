package io.quantserve.service.jobs.web;

import io.quantserve.service.jobs.Artifact;
import io.quantserve.service.jobs.ArtifactCatalog;
import io.quantserve.service.security.Caller;
import io.quantserve.service.storage.ObjectContent;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * {@code /v1/jobs/{id}/artifacts}: the list, and downloads streamed from the object store with single-range
 * {@code Range} requests (206), the SHA-256 as a strong {@code ETag} ({@code If-None-Match} → 304,
 * {@code If-Range}) and, with {@code ?redirect=true}, a 302 to a presigned URL when the store can sign one.
 */
@RestController
@Tag(name = "jobs")
@RequestMapping("/v1/jobs/{id}/artifacts")
class ArtifactController {
    private final ArtifactCatalog artifacts;

    ArtifactController(ArtifactCatalog artifacts) {
        this.artifacts = artifacts;
    }

    @Operation(
            operationId = "listJobArtifacts",
            summary = "The artefacts of a job: name, size, sha256, content type; empty until the job SUCCEEDED")
    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    ArtifactView.ListView list(Caller caller, @PathVariable UUID id) {
        return new ArtifactView.ListView(artifacts.list(caller.tenantId(), id).stream()
                .map(ArtifactView::of)
                .toList());
    }

    @Operation(
            operationId = "downloadJobArtifact",
            summary = "Download an artefact (Range, ETag, or a redirect to a presigned URL)",
            description = "ETag is the quoted SHA-256; If-None-Match with it answers 304. One byte range"
                    + " (bytes=a-b, bytes=a-, bytes=-n) answers 206 with Content-Range, a range past the end 416;"
                    + " If-Range with another tag sends the whole file. ?redirect=true answers 302 to a presigned"
                    + " URL when the object store can sign one (S3), else streams as without it.",
            responses = {
                @ApiResponse(
                        responseCode = "200",
                        description = "The artefact",
                        content =
                                @Content(
                                        mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE,
                                        schema = @Schema(type = "string", format = "binary"))),
                @ApiResponse(
                        responseCode = "206",
                        description = "The requested range",
                        content =
                                @Content(
                                        mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE,
                                        schema = @Schema(type = "string", format = "binary"))),
                @ApiResponse(responseCode = "302", description = "Redirect to a presigned URL", content = @Content),
                @ApiResponse(responseCode = "304", description = "Not modified (If-None-Match)", content = @Content)
            })
    @GetMapping(path = "/{name}")
    ResponseEntity<StreamingResponseBody> download(
            Caller caller,
            @PathVariable UUID id,
            @PathVariable String name,
            @Parameter(description = "answer 302 to a presigned URL when the store can sign one")
                    @RequestParam(defaultValue = "false")
                    boolean redirect,
            @RequestHeader(name = HttpHeaders.RANGE, required = false) @Nullable String range,
            @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) @Nullable String ifNoneMatch,
            @RequestHeader(name = HttpHeaders.IF_RANGE, required = false) @Nullable String ifRange) {
        Artifact a = artifacts.get(caller.tenantId(), id, name);
        String etag = "\"" + a.sha256() + "\"";
        if (matches(ifNoneMatch, etag)) {
            return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(etag).build();
        }
        if (redirect) {
            Optional<URI> url = artifacts.presigned(a);
            if (url.isPresent()) {
                return ResponseEntity.status(HttpStatus.FOUND)
                        .location(url.get())
                        .eTag(etag)
                        .build();
            }
        }
        RangeRequest.Outcome outcome = ifRange != null && !ifRange.strip().equals(etag)
                ? new RangeRequest.Whole()
                : RangeRequest.resolve(range, a.sizeBytes());
        HttpHeaders headers = new HttpHeaders();
        headers.setETag(etag);
        headers.set(HttpHeaders.ACCEPT_RANGES, "bytes");
        headers.setContentDisposition(
                ContentDisposition.attachment().filename(a.name()).build());
        headers.setContentType(MediaType.parseMediaType(a.contentType()));
        return switch (outcome) {
            case RangeRequest.Unsatisfiable u -> throw new RangeNotSatisfiableException(range, a.name(), a.sizeBytes());
            case RangeRequest.Part part -> {
                headers.set(
                        HttpHeaders.CONTENT_RANGE, "bytes " + part.first() + "-" + part.last() + "/" + a.sizeBytes());
                headers.setContentLength(part.length());
                yield ResponseEntity.status(HttpStatus.PARTIAL_CONTENT)
                        .headers(headers)
                        .body(stream(artifacts.open(a, part.range())));
            }
            case RangeRequest.Whole w -> {
                headers.setContentLength(a.sizeBytes());
                yield ResponseEntity.ok().headers(headers).body(stream(artifacts.open(a, null)));
            }
        };
    }

    private static StreamingResponseBody stream(ObjectContent content) {
        return out -> {
            try (content) {
                content.stream().transferTo(out);
            }
        };
    }

    /** True when an {@code If-None-Match} list names {@code etag} (weak comparison) or is {@code *}. */
    private static boolean matches(@Nullable String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) return false;
        for (String candidate : ifNoneMatch.split(",")) {
            String c = candidate.strip();
            if (c.equals("*")) return true;
            if (c.startsWith("W/")) c = c.substring(2);
            if (c.equals(etag)) return true;
        }
        return false;
    }
}
