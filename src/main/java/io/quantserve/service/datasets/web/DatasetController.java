package io.quantserve.service.datasets.web;

import io.quantserve.service.datasets.Dataset;
import io.quantserve.service.datasets.DatasetCatalog;
import io.quantserve.service.security.Caller;
import io.quantserve.service.web.Cursor;
import io.quantserve.service.web.UploadSpool;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.SchemaProperty;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.io.IOException;
import java.net.URI;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** {@code /v1/datasets}: upload (raw body or multipart), get, list, delete. */
@RestController
@Tag(name = "datasets", description = "Calibration and evaluation data: upload, describe, list, delete")
@RequestMapping("/v1/datasets")
class DatasetController {
    private static final String DEFAULT_NAME = "dataset";

    private final DatasetCatalog catalog;
    private final UploadSpool spool;

    DatasetController(DatasetCatalog catalog, UploadSpool spool) {
        this.catalog = catalog;
        this.spool = spool;
    }

    @Operation(
            operationId = "uploadDataset",
            summary =
                    "Upload a dataset (.npz, .npy or a zip of an ONNX test-data folder); it is described before it is stored",
            description = "The file is the raw request body (application/octet-stream, name from ?name=) or the"
                    + " multipart/form-data part 'file' (name from the part's file name or a 'name' field).",
            requestBody =
                    @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            required = true,
                            content = {
                                @Content(
                                        mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE,
                                        schema = @Schema(type = "string", format = "binary")),
                                @Content(
                                        mediaType = MediaType.MULTIPART_FORM_DATA_VALUE,
                                        schema = @Schema(type = "object", requiredProperties = "file"),
                                        schemaProperties =
                                                @SchemaProperty(
                                                        name = "file",
                                                        schema = @Schema(type = "string", format = "binary")))
                            }))
    @ResponseStatus(HttpStatus.CREATED)
    @PostMapping(
            consumes = {MediaType.APPLICATION_OCTET_STREAM_VALUE, MediaType.MULTIPART_FORM_DATA_VALUE},
            produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<DatasetView> upload(
            Caller caller, @RequestParam(required = false) @Nullable String name, HttpServletRequest request)
            throws IOException {
        try (UploadSpool.Received upload = spool.receive(request, name, DEFAULT_NAME, "dataset upload")) {
            return created(catalog.register(caller.tenantId(), upload.name(), upload.file()));
        }
    }

    @Operation(operationId = "getDataset", summary = "A dataset's metadata: arrays, shapes, dtypes, sample count")
    @GetMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    DatasetView get(Caller caller, @PathVariable UUID id) {
        return view(catalog.get(caller.tenantId(), id));
    }

    @Operation(operationId = "listDatasets", summary = "The caller's datasets, newest first")
    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    DatasetPage list(
            Caller caller,
            @RequestParam(defaultValue = "20") @Min(1) @Max(100) int limit,
            @RequestParam(required = false) @Nullable String cursor) {
        var page = catalog.list(caller.tenantId(), Cursor.decode(cursor), limit);
        return new DatasetPage(page.items().stream().map(this::view).toList(), page.nextCursor());
    }

    @Operation(operationId = "deleteDataset", summary = "Delete a dataset and its file")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(Caller caller, @PathVariable UUID id) {
        catalog.delete(caller.tenantId(), id);
        return ResponseEntity.noContent().build();
    }

    private DatasetView view(Dataset d) {
        return DatasetView.of(d, catalog.arrays(d));
    }

    private ResponseEntity<DatasetView> created(Dataset d) {
        return ResponseEntity.created(URI.create("/v1/datasets/" + d.id())).body(view(d));
    }
}
