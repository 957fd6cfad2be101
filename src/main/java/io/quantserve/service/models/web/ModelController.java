package io.quantserve.service.models.web;

import io.quantserve.engine.InvalidConfigException;
import io.quantserve.engine.config.ConfigOptions;
import io.quantserve.engine.layers.LayerType;
import io.quantserve.service.models.Model;
import io.quantserve.service.models.ModelCatalog;
import io.quantserve.service.security.Caller;
import io.quantserve.service.web.BadRequestException;
import io.quantserve.service.web.Cursor;
import io.quantserve.service.web.UploadSpool;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.SchemaProperty;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
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
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.multipart.MultipartHttpServletRequest;
import org.springframework.web.util.WebUtils;

/** {@code /v1/models}: upload (raw body or multipart), get, list, delete, and the generated AMCT config. */
@RestController
@Tag(name = "models", description = "ONNX models: upload, inspect, list, delete, generated AMCT config")
@RequestMapping("/v1/models")
class ModelController {
    private static final String DEFAULT_NAME = "model.onnx";
    private static final String ZIP = "application/zip";
    /** Name of the multipart parts that carry external-data files. */
    private static final String DATA_PART = "data";

    private final ModelCatalog catalog;
    private final UploadSpool spool;

    ModelController(ModelCatalog catalog, UploadSpool spool) {
        this.catalog = catalog;
        this.spool = spool;
    }

    @Operation(
            operationId = "uploadModel",
            summary = "Upload an ONNX model; it is inspected before it is stored",
            description = "The file is the raw request body (application/octet-stream or application/zip, name"
                    + " from ?name=) or the multipart/form-data part 'file' (name from the part's file name or a"
                    + " 'name' field). A model whose weights live in external-data files comes either as a zip"
                    + " holding the .onnx file and its data files (at their 'location' paths relative to the .onnx"
                    + " file), or as the .onnx part 'file' plus one part 'data' per data file, the part's file name"
                    + " being the file's 'location'. Locations that are absolute, contain '..' or leave the model's"
                    + " folder are refused (422 invalid-model) and nothing is stored.",
            requestBody =
                    @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            required = true,
                            content = {
                                @Content(
                                        mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE,
                                        schema = @Schema(type = "string", format = "binary")),
                                @Content(mediaType = ZIP, schema = @Schema(type = "string", format = "binary")),
                                @Content(
                                        mediaType = MediaType.MULTIPART_FORM_DATA_VALUE,
                                        schema = @Schema(type = "object", requiredProperties = "file"),
                                        schemaProperties = {
                                            @SchemaProperty(
                                                    name = "file",
                                                    schema = @Schema(type = "string", format = "binary")),
                                            @SchemaProperty(
                                                    name = "data",
                                                    array =
                                                            @ArraySchema(
                                                                    schema =
                                                                            @Schema(
                                                                                    type = "string",
                                                                                    format = "binary")))
                                        })
                            }))
    @ResponseStatus(HttpStatus.CREATED)
    @PostMapping(
            consumes = {MediaType.APPLICATION_OCTET_STREAM_VALUE, ZIP, MediaType.MULTIPART_FORM_DATA_VALUE},
            produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<ModelView> upload(
            Caller caller, @RequestParam(required = false) @Nullable String name, HttpServletRequest request)
            throws IOException {
        try (UploadSpool.Received upload = spool.receive(request, name, DEFAULT_NAME, "model upload")) {
            List<ModelCatalog.DataFile> data = dataParts(request);
            return created(
                    data.isEmpty()
                            ? catalog.register(caller.tenantId(), upload.name(), upload.file())
                            : catalog.register(caller.tenantId(), upload.name(), upload.file(), data));
        }
    }

    @Operation(operationId = "getModel", summary = "A model's metadata and inspection")
    @GetMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    ModelView get(Caller caller, @PathVariable UUID id) {
        return view(catalog.get(caller.tenantId(), id));
    }

    @Operation(operationId = "listModels", summary = "The caller's models, newest first")
    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    ModelPage list(
            Caller caller,
            @RequestParam(defaultValue = "20") @Min(1) @Max(100) int limit,
            @RequestParam(required = false) @Nullable String cursor) {
        var page = catalog.list(caller.tenantId(), Cursor.decode(cursor), limit);
        return new ModelPage(page.items().stream().map(this::view).toList(), page.nextCursor());
    }

    @Operation(operationId = "deleteModel", summary = "Delete a model and its file")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(Caller caller, @PathVariable UUID id) {
        catalog.delete(caller.tenantId(), id);
        return ResponseEntity.noContent().build();
    }

    @Operation(
            operationId = "createModelConfig",
            summary = "AMCT create_quant_config for the model: the per-layer quantization config JSON",
            responses =
                    @ApiResponse(
                            responseCode = "200",
                            description = "OK",
                            content =
                                    @Content(
                                            mediaType = MediaType.APPLICATION_JSON_VALUE,
                                            schema =
                                                    @Schema(
                                                            type = "object",
                                                            description = "AMCT quantization config: global keys"
                                                                    + " (version, batch_num, activation_offset, ...)"
                                                                    + " and one object per layer name"))))
    @GetMapping(path = "/{id}/config", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> config(
            Caller caller,
            @PathVariable UUID id,
            @RequestParam(name = "skip_layers", required = false) @Nullable List<String> skipLayers,
            @RequestParam(name = "skip_layer_types", required = false) @Nullable List<String> skipLayerTypes,
            @RequestParam(name = "batch_num", defaultValue = "1") @Min(1) int batchNum,
            @RequestParam(name = "activation_offset", defaultValue = "true") boolean activationOffset) {
        ConfigOptions options = ConfigOptions.builder()
                .skipLayers(skipLayers == null ? List.of() : skipLayers)
                .skipLayerTypes(layerTypes(skipLayerTypes))
                .batchNum(batchNum)
                .activationOffset(activationOffset)
                .build();
        return ResponseEntity.ok()
                .contentType(MediaType.APPLICATION_JSON)
                .body(catalog.createConfig(caller.tenantId(), id, options));
    }

    /** The {@value #DATA_PART} parts of a multipart upload, each named by its file name; none for a raw body. */
    private static List<ModelCatalog.DataFile> dataParts(HttpServletRequest request) {
        MultipartHttpServletRequest multipart = WebUtils.getNativeRequest(request, MultipartHttpServletRequest.class);
        if (multipart == null) return List.of();
        List<ModelCatalog.DataFile> files = new ArrayList<>();
        for (MultipartFile part : multipart.getFiles(DATA_PART)) {
            String location = part.getOriginalFilename();
            if (location == null || location.isBlank()) {
                throw new BadRequestException("a '" + DATA_PART + "' part carries its external data 'location' as"
                        + " its file name, and this one has none");
            }
            files.add(new ModelCatalog.DataFile(location, part));
        }
        return files;
    }

    private static Set<LayerType> layerTypes(@Nullable List<String> names) {
        Set<LayerType> types = EnumSet.noneOf(LayerType.class);
        if (names == null) return types;
        for (String n : names) {
            types.add(
                    LayerType.forOpType(n)
                            .orElseThrow(
                                    () -> new InvalidConfigException(
                                            "skip_layer_types names '" + n
                                                    + "', which is not a quantizable op type (Conv, ConvTranspose, Gemm, MatMul, AveragePool)")));
        }
        return types;
    }

    private ModelView view(Model m) {
        return ModelView.of(m, catalog.inspection(m));
    }

    private ResponseEntity<ModelView> created(Model m) {
        return ResponseEntity.created(URI.create("/v1/models/" + m.id())).body(view(m));
    }
}
