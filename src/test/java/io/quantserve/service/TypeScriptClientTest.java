package io.quantserve.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.quantserve.engine.onnx.ModelIo;
import io.quantserve.service.support.ServiceTest;
import io.quantserve.testing.SampleModels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The TypeScript client of {@code clients/typescript} against the running service, the way its README section says:
 * {@code npm ci}, {@code npm run build} (types generated from {@code openapi.yaml} by openapi-typescript, then
 * type-checked and compiled with the smoke script, so a spec that no longer fits the script fails here) and
 * {@code npm run smoke}, which issues a tenant key with the admin key, uploads a model and lists it. Needs Node.js 20+
 * and npm on the PATH and the npm registry (or npm's cache) for {@code npm ci}.
 */
class TypeScriptClientTest extends ServiceTest {
    private static final Path CLIENT = Path.of("clients", "typescript");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path tmp;

    @Test
    void generatedClientIssuesAKeyUploadsAndListsAModel() throws Exception {
        Path model = tmp.resolve("tiny.onnx");
        ModelIo.save(SampleModels.allLayerKinds(), model);

        run(List.of("npm", "--version"), Map.of(), 60);
        run(List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of(), 300);
        run(List.of("npm", "run", "build"), Map.of(), 180);
        String out = run(
                List.of("npm", "run", "-s", "smoke"),
                Map.of(
                        "QUANTSERVE_URL",
                        "http://127.0.0.1:" + port,
                        "QUANTSERVE_ADMIN_KEY",
                        ADMIN_KEY,
                        "MODEL",
                        model.toAbsolutePath().toString()),
                120);

        JsonNode result = JSON.readTree(out.strip().lines().reduce((a, b) -> b).orElseThrow());
        String id = result.get("model_id").asString();
        assertThat(result.get("name").asString()).isEqualTo("tiny.onnx");
        assertThat(result.get("inputs").toString()).isEqualTo("[\"x\"]");
        assertThat(result.get("listed").toString())
                .as("the new tenant lists exactly its one model")
                .isEqualTo("[\"" + id + "\"]");
        assertThat(result.get("without_key").get("status").asInt()).isEqualTo(401);
        String tenant = result.get("tenant").asString();
        assertThat(jdbc.queryForObject(
                        "select t.name from models m join tenants t on t.id = m.tenant_id where m.id = ?::uuid",
                        String.class,
                        id))
                .as("the model the client uploaded belongs to the tenant its key was issued for")
                .isEqualTo(tenant);
    }

    /** Runs {@code command} in the client's folder; fails with its output unless it exits 0 in time. */
    private String run(List<String> command, Map<String, String> env, int timeoutSeconds) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(CLIENT.toFile())
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve("out.txt").toFile());
        builder.environment().putAll(env);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return fail("'" + command.getFirst() + "' cannot be started (" + e.getMessage()
                    + "): the TypeScript client test needs Node.js 20+ and npm on the PATH"
                    + " (.ci/run installs Debian's nodejs and npm)");
        }
        boolean exited = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!exited) process.destroyForcibly().waitFor();
        String output = Files.readString(tmp.resolve("out.txt"), StandardCharsets.UTF_8);
        if (!exited) fail(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s:\n" + output);
        assertThat(process.exitValue())
                .as(String.join(" ", command) + " in " + CLIENT + ":\n" + output)
                .isZero();
        return output;
    }
}
