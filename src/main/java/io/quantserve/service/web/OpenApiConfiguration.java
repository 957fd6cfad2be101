package io.quantserve.service.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.List;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What springdoc cannot infer from the controllers: title, the two ways to present an API key, the RFC 9457
 * {@code Problem} schema and the {@code default} problem response of every operation. The result must equal the
 * repository's {@code openapi.yaml} (a test compares them).
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {
    static final String PROBLEM = "Problem";

    @Bean
    OpenAPI quantServeOpenApi() {
        return new OpenAPI()
                .info(new Info()
                        .title("QuantServe API")
                        .version("v1")
                        .description("Post-training INT8 quantization of ONNX models, AMCT-compatible.")
                        .license(new License().name("Apache-2.0").identifier("Apache-2.0")))
                .components(new Components()
                        .addSecuritySchemes(
                                "bearer",
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.HTTP)
                                        .scheme("bearer"))
                        .addSecuritySchemes(
                                "apiKey",
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.APIKEY)
                                        .in(SecurityScheme.In.HEADER)
                                        .name("X-API-Key")))
                .security(List.of(
                        new SecurityRequirement().addList("bearer"), new SecurityRequirement().addList("apiKey")));
    }

    /** Every operation answers errors with a problem detail, described by the {@code Problem} schema. */
    @Bean
    OpenApiCustomizer problemResponses() {
        return api -> {
            api.getComponents().addSchemas(PROBLEM, problemSchema());
            api.getPaths()
                    .values()
                    .forEach(path -> path.readOperations()
                            .forEach(op -> op.getResponses().addApiResponse("default", problemResponse())));
        };
    }

    private static ApiResponse problemResponse() {
        MediaType problem = new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM));
        return new ApiResponse()
                .description("An error, as an RFC 9457 problem detail")
                .content(new Content().addMediaType("application/problem+json", problem));
    }

    private static Schema<?> problemSchema() {
        ObjectSchema error = new ObjectSchema();
        error.addProperty("field", new StringSchema());
        error.addProperty("message", new StringSchema());
        return new ObjectSchema()
                .description("RFC 9457 problem detail. 'code' repeats the last segment of 'type'.")
                .addProperty("type", new StringSchema().format("uri").example(Problems.TYPE_BASE + "invalid-model"))
                .addProperty("title", new StringSchema())
                .addProperty("status", new IntegerSchema())
                .addProperty("detail", new StringSchema())
                .addProperty("instance", new StringSchema().format("uri-reference"))
                .addProperty("code", new StringSchema())
                .addProperty("errors", new io.swagger.v3.oas.models.media.ArraySchema().items(error))
                .required(List.of("type", "title", "status", "code"));
    }
}
