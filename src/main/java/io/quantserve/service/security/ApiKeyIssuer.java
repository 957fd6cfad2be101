package io.quantserve.service.security;

import io.quantserve.service.web.ResourceNotFoundException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Issues and revokes API keys; issuing a key for an unknown tenant creates the tenant. */
@Service
public class ApiKeyIssuer {
    private final ApiKeys keys;
    private final Tenants tenants;
    private final Clock clock;

    ApiKeyIssuer(ApiKeys keys, Tenants tenants, Clock clock) {
        this.keys = keys;
        this.tenants = tenants;
        this.clock = clock;
    }

    /**
     * A key issued now. The plain key exists only in the returned value: it is shown once and then only its hash
     * remains.
     *
     * @param key the stored key
     * @param plainKey the key to hand to the client
     */
    public record IssuedKey(ApiKey key, String plainKey) {}

    /**
     * Issues a key for {@code tenant}, creating the tenant when it does not exist.
     *
     * @param expiresAt when the key stops working, or {@code null} for never
     */
    @Transactional
    public IssuedKey issue(String tenant, Role role, @Nullable String description, @Nullable Instant expiresAt) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Tenant owner =
                tenants.findByName(tenant).orElseGet(() -> tenants.save(new Tenant(UUID.randomUUID(), tenant, now)));
        String plain = KeyDigest.newKey();
        ApiKey key = new ApiKey(
                UUID.randomUUID(),
                owner,
                KeyDigest.hash(plain),
                KeyDigest.visiblePrefix(plain),
                role,
                description,
                now,
                expiresAt == null ? null : expiresAt.truncatedTo(ChronoUnit.MICROS));
        return new IssuedKey(keys.save(key), plain);
    }

    /**
     * Revokes a key: it stops authenticating at once.
     *
     * @throws ResourceNotFoundException when no key has this id
     */
    @Transactional
    public ApiKey revoke(UUID id) {
        ApiKey key = keys.findById(id).orElseThrow(() -> new ResourceNotFoundException("API key", id));
        key.revoke(clock.instant().truncatedTo(ChronoUnit.MICROS));
        return key;
    }
}
