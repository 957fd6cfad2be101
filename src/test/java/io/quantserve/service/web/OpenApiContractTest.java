package io.quantserve.service.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.quantserve.service.support.Api.Response;
import io.quantserve.service.support.ServiceTest;
import io.swagger.v3.core.util.Json31;
import io.swagger.v3.core.util.Yaml31;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code openapi.yaml} at the repository top level is the API's contract: the running server's {@code /v3/api-docs}
 * must describe the same operations (method, path, operation id, parameters, request media types, response codes)
 * and the same schemas (property names and types), and real problem answers must fit the {@code Problem} schema.
 */
class OpenApiContractTest extends ServiceTest {
    private static final Path CONTRACT = Path.of("openapi.yaml");

    private OpenAPI contract;
    private OpenAPI served;

    @BeforeEach
    void load() throws Exception {
        contract = Yaml31.mapper().readValue(CONTRACT.toFile(), OpenAPI.class);
        Response docs = admin().get("/v3/api-docs");
        assertThat(docs.status()).as(docs.body()).isEqualTo(200);
        served = Json31.mapper().readValue(docs.body(), OpenAPI.class);
    }

    @Test
    void operationsMatch() {
        Map<String, String> expected = operations(contract);
        Map<String, String> actual = operations(served);

        assertThat(actual.keySet()).as("METHOD path of every operation").isEqualTo(expected.keySet());
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void schemasMatch() {
        Map<String, String> expected = schemas(contract);
        Map<String, String> actual = schemas(served);

        assertThat(actual.keySet()).as("schema names").isEqualTo(expected.keySet());
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void securitySchemesMatch() {
        assertThat(served.getComponents().getSecuritySchemes())
                .isEqualTo(contract.getComponents().getSecuritySchemes());
        assertThat(served.getSecurity()).isEqualTo(contract.getSecurity());
    }

    @Test
    void problemAnswersFitTheProblemSchema() {
        Schema<?> problem = contract.getComponents().getSchemas().get("Problem");
        TenantKey t = newTenant("contract");
        List<Response> answers = List.of(
                t.client().get("/v1/models/" + UUID.randomUUID()),
                t.client().postBytes("/v1/models", "junk".getBytes(), "application/octet-stream"),
                t.client().get("/v1/models?limit=1000"),
                api().anonymous().get("/v1/datasets"),
                t.client().postJson("/v1/admin/api-keys", "{}"));
        for (Response r : answers) {
            assertThat(r.contentType()).as(r.body()).startsWith("application/problem+json");
            Set<String> members = new TreeSet<>();
            r.json().propertyNames().forEach(members::add);
            assertThat(members).as(r.body()).containsAll(problem.getRequired());
            assertThat(problem.getProperties().keySet()).as(r.body()).containsAll(members);
            assertThat(r.json().get("type").asString())
                    .endsWith("/" + r.json().get("code").asString());
            assertThat(r.json().get("status").asInt()).isEqualTo(r.status());
        }
    }

    @Test
    void theDocumentItselfNeedsAKey() {
        assertThat(api().anonymous().get("/v3/api-docs").status()).isEqualTo(401);
    }

    /** "METHOD path" → operation id, parameters, request media types and response codes. */
    private static Map<String, String> operations(OpenAPI api) {
        Map<String, String> out = new TreeMap<>();
        api.getPaths()
                .forEach((path, item) -> item.readOperationsMap().forEach((method, op) -> {
                    List<Parameter> parameters = new ArrayList<>();
                    if (item.getParameters() != null) parameters.addAll(item.getParameters());
                    if (op.getParameters() != null) parameters.addAll(op.getParameters());
                    out.put(method + " " + path, signature(api.getComponents(), op, parameters));
                }));
        return out;
    }

    private static String signature(Components components, Operation op, List<Parameter> parameters) {
        Set<String> params = new TreeSet<>();
        for (Parameter p : parameters) {
            Parameter r = p.get$ref() == null ? p : components.getParameters().get(last(p.get$ref()));
            params.add(r.getIn() + ":" + r.getName() + ":" + type(r.getSchema())
                    + (Boolean.TRUE.equals(r.getRequired()) ? "!" : ""));
        }
        Set<String> media = new TreeSet<>();
        RequestBody body = op.getRequestBody();
        if (body != null) {
            RequestBody r = body.get$ref() == null
                    ? body
                    : components.getRequestBodies().get(last(body.get$ref()));
            r.getContent().forEach((type, content) -> media.add(type + "=" + type(content.getSchema())));
        }
        Map<String, String> responses = new TreeMap<>();
        op.getResponses().forEach((code, response) -> {
            ApiResponse r = response.get$ref() == null
                    ? response
                    : components.getResponses().get(last(response.get$ref()));
            Set<String> content = new TreeSet<>();
            if (r.getContent() != null)
                r.getContent().forEach((type, c) -> content.add(type + "=" + type(c.getSchema())));
            responses.put(code, content.toString());
        });
        return "id=" + op.getOperationId() + " params=" + params + " body=" + media + " responses=" + responses;
    }

    /** Schema name → its properties with their types, sorted. */
    private static Map<String, String> schemas(OpenAPI api) {
        Map<String, String> out = new TreeMap<>();
        api.getComponents()
                .getSchemas()
                .forEach((name, schema) -> out.put(name, properties(schema).toString()));
        return out;
    }

    @SuppressWarnings("rawtypes") // swagger-core's Schema.getProperties() is Map<String, Schema>
    private static Map<String, String> properties(Schema<?> schema) {
        Map<String, String> props = new TreeMap<>();
        if (schema.getProperties() != null) {
            for (Map.Entry<String, Schema> e : schema.getProperties().entrySet()) {
                props.put(e.getKey(), type(e.getValue()));
            }
        }
        return props;
    }

    /** A schema's type, ignoring nullability (the server's document does not state it), with items and refs. */
    private static String type(Schema<?> s) {
        if (s == null) return "-";
        if (s.get$ref() != null) return "$" + last(s.get$ref());
        Set<String> types = new TreeSet<>();
        if (s.getTypes() != null) types.addAll(s.getTypes());
        if (s.getType() != null) types.add(s.getType());
        types.remove("null");
        String t = String.join("|", types);
        if (s.getFormat() != null) t += "/" + s.getFormat();
        if (s.getItems() != null) t += "[" + type(s.getItems()) + "]";
        if (s.getEnum() != null)
            t += new TreeSet<>(s.getEnum().stream().map(String::valueOf).toList());
        if (s.getProperties() != null) t += properties(s);
        return t;
    }

    private static String last(String ref) {
        return ref.substring(ref.lastIndexOf('/') + 1);
    }
}
