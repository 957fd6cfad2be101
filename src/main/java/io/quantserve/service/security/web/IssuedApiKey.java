package io.quantserve.service.security.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quantserve.service.security.ApiKeyIssuer.IssuedKey;
import io.quantserve.service.security.Role;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Answer of {@code POST /v1/admin/api-keys}: the key itself appears here and nowhere else, ever.
 *
 * @param keyPrefix the first characters of the key, to recognise it later
 */
record IssuedApiKey(
        UUID id,
        String tenant,
        Role role,
        String key,
        @JsonProperty("key_prefix") String keyPrefix,
        @Nullable String description,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("expires_at") @Nullable Instant expiresAt) {

    static IssuedApiKey of(IssuedKey issued) {
        var k = issued.key();
        return new IssuedApiKey(
                k.id(),
                k.tenant().name(),
                k.role(),
                issued.plainKey(),
                k.keyPrefix(),
                k.description(),
                k.createdAt(),
                k.expiresAt());
    }
}
