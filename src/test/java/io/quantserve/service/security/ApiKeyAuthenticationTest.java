package io.quantserve.service.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.quantserve.service.support.Api.Response;
import io.quantserve.service.support.ServiceTest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** API keys over HTTP: who gets in, who gets 401 or 403, and what is stored. */
class ApiKeyAuthenticationTest extends ServiceTest {
    private static final String PROBLEMS = "https://quantserve.dev/problems/";

    @Test
    void missingOrUnknownKeyIs401Problem() {
        for (Response r : List.of(
                api().anonymous().get("/v1/models"),
                api().as("qs_not-a-key").get("/v1/models"),
                api().withHeaderKey("qs_not-a-key").get("/v1/models"),
                api().anonymous().postBytes("/v1/models", new byte[10], "application/octet-stream"))) {
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.problemType()).isEqualTo(PROBLEMS + "unauthorized");
            assertThat(r.headers().firstValue("WWW-Authenticate"))
                    .hasValueSatisfying(h -> assertThat(h).startsWith("Bearer"));
        }
    }

    @Test
    void bearerAndHeaderKeysBothAuthenticate() {
        TenantKey t = newTenant("keys");
        assertThat(api().as(t.key()).get("/v1/models").status()).isEqualTo(200);
        assertThat(api().withHeaderKey(t.key()).get("/v1/models").status()).isEqualTo(200);
    }

    @Test
    void healthNeedsNoKeyButOtherActuatorEndpointsNeedAnAdmin() {
        Response health = api().anonymous().get("/actuator/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asString()).isEqualTo("UP");
        assertThat(api().anonymous().get("/actuator/health/liveness").status()).isEqualTo(200);
        Response readiness = api().anonymous().get("/actuator/health/readiness");
        assertThat(readiness.status()).as(readiness.body()).isEqualTo(200);
        assertThat(readiness.json().get("components").propertyNames()).contains("db", "objectStore");

        assertThat(api().anonymous().get("/actuator/info").status()).isEqualTo(401);
        TenantKey t = newTenant("actuator");
        Response user = t.client().get("/actuator/info");
        assertThat(user.status()).isEqualTo(403);
        assertThat(user.problemType()).isEqualTo(PROBLEMS + "forbidden");
        assertThat(admin().get("/actuator/info").status()).isEqualTo(200);
    }

    @Test
    void userKeysCannotIssueKeys() {
        TenantKey t = newTenant("user");
        Response r = t.client().postJson("/v1/admin/api-keys", "{\"tenant\":\"evil\"}");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.problemType()).isEqualTo(PROBLEMS + "forbidden");
        assertThat(jdbc.queryForObject("select count(*) from tenants where name = 'evil'", Integer.class))
                .isZero();
    }

    @Test
    void issuedKeyIsStoredOnlyAsItsHash() throws Exception {
        String tenant = "hash-" + UUID.randomUUID().toString().substring(0, 8);
        Response r = admin().postJson(
                        "/v1/admin/api-keys",
                        "{\"tenant\":\"" + tenant
                                + "\",\"role\":\"user\",\"description\":\"ci\",\"expires_at\":\"2099-01-01T00:00:00Z\"}");

        assertThat(r.status()).as(r.body()).isEqualTo(201);
        String key = r.json().get("key").asString();
        String id = r.json().get("id").asString();
        assertThat(key).startsWith("qs_").hasSizeGreaterThan(40);
        assertThat(r.headers().firstValue("Location")).hasValue("/v1/admin/api-keys/" + id);
        assertThat(r.json().get("tenant").asString()).isEqualTo(tenant);
        assertThat(r.json().get("role").asString()).isEqualTo("user");
        assertThat(r.json().get("key_prefix").asString()).isEqualTo(key.substring(0, 10));
        assertThat(r.json().get("expires_at").asString()).isEqualTo("2099-01-01T00:00:00Z");

        Map<String, Object> row = jdbc.queryForMap("select * from api_keys where id = ?::uuid", id);
        String expected = HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        assertThat(row.get("key_hash")).isEqualTo(expected);
        assertThat(row.values()).noneMatch(v -> v != null && v.toString().contains(key));
    }

    @Test
    void revokedAndExpiredKeysAre401() {
        TenantKey revoked = newTenant("revoked");
        String revokedId = keyId(revoked.key());
        assertThat(admin().delete("/v1/admin/api-keys/" + revokedId).status()).isEqualTo(204);
        Response afterRevoke = revoked.client().get("/v1/models");
        assertThat(afterRevoke.status()).isEqualTo(401);
        assertThat(afterRevoke.problemType()).isEqualTo(PROBLEMS + "unauthorized");

        TenantKey expired = newTenant("expired");
        assertThat(expired.client().get("/v1/models").status()).isEqualTo(200);
        jdbc.update(
                "update api_keys set expires_at = now() - interval '1 second' where id = ?::uuid",
                keyId(expired.key()));
        Response afterExpiry = expired.client().get("/v1/models");
        assertThat(afterExpiry.status()).isEqualTo(401);
        assertThat(afterExpiry.problemType()).isEqualTo(PROBLEMS + "unauthorized");
    }

    @Test
    void invalidKeyRequestsAre400And404() {
        Response badTenant = admin().postJson("/v1/admin/api-keys", "{\"tenant\":\"Not A Slug\"}");
        assertThat(badTenant.status()).isEqualTo(400);
        assertThat(badTenant.problemType()).isEqualTo(PROBLEMS + "invalid-request");
        assertThat(badTenant.json().get("errors").get(0).get("field").asString())
                .isEqualTo("tenant");

        Response badRole = admin().postJson("/v1/admin/api-keys", "{\"tenant\":\"ok\",\"role\":\"root\"}");
        assertThat(badRole.status()).isEqualTo(400);
        assertThat(badRole.problemType()).isEqualTo(PROBLEMS + "invalid-request");

        Response past =
                admin().postJson("/v1/admin/api-keys", "{\"tenant\":\"ok\",\"expires_at\":\"2001-01-01T00:00:00Z\"}");
        assertThat(past.status()).isEqualTo(400);
        assertThat(past.problemType()).isEqualTo(PROBLEMS + "invalid-request");

        Response notJson = admin().postJson("/v1/admin/api-keys", "{");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.problemType()).isEqualTo(PROBLEMS + "invalid-request");

        Response unknown = admin().delete("/v1/admin/api-keys/" + UUID.randomUUID());
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.problemType()).isEqualTo(PROBLEMS + "not-found");
    }

    private String keyId(String key) {
        return jdbc.queryForObject(
                "select id::text from api_keys where key_prefix = ?", String.class, key.substring(0, 10));
    }
}
