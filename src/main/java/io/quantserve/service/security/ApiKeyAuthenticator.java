package io.quantserve.service.security;

import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Turns a presented key into a {@link Caller}: the configured bootstrap admin key, or an issued key that is neither
 * revoked nor expired. On start it makes sure the bootstrap admin's tenant exists.
 */
@Component
class ApiKeyAuthenticator implements InitializingBean {
    private static final Logger log = LoggerFactory.getLogger(ApiKeyAuthenticator.class);

    private final ApiKeys keys;
    private final Tenants tenants;
    private final SecurityProperties properties;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final @Nullable String bootstrapHash;
    private @Nullable Caller bootstrapAdmin;

    ApiKeyAuthenticator(
            ApiKeys keys,
            Tenants tenants,
            SecurityProperties properties,
            TransactionTemplate transactions,
            Clock clock) {
        this.keys = keys;
        this.tenants = tenants;
        this.properties = properties;
        this.transactions = transactions;
        this.clock = clock;
        String adminKey = properties.adminKey();
        if (adminKey != null && !adminKey.isBlank() && adminKey.length() < SecurityProperties.MIN_ADMIN_KEY_LENGTH) {
            throw new IllegalStateException("quantserve.security.admin-key must have at least "
                    + SecurityProperties.MIN_ADMIN_KEY_LENGTH + " characters");
        }
        this.bootstrapHash = adminKey == null || adminKey.isBlank() ? null : KeyDigest.hash(adminKey);
    }

    @Override
    public void afterPropertiesSet() {
        if (bootstrapHash == null) {
            log.warn("no quantserve.security.admin-key configured: only keys issued earlier can log in");
            return;
        }
        String name = properties.adminTenant();
        Tenant tenant = transactions.execute(status -> tenants.findByName(name)
                .orElseGet(() -> tenants.save(new Tenant(UUID.randomUUID(), name, clock.instant()))));
        bootstrapAdmin = new Caller(tenant.id(), tenant.name(), Role.ADMIN);
    }

    /** The caller {@code key} authenticates, or empty when it authenticates no one. */
    Optional<Caller> authenticate(String key) {
        String hash = KeyDigest.hash(key);
        if (bootstrapHash != null && bootstrapAdmin != null && KeyDigest.sameHash(hash, bootstrapHash)) {
            return Optional.of(bootstrapAdmin);
        }
        return keys.findByHash(hash)
                .filter(k -> k.usableAt(clock.instant()))
                .map(k -> new Caller(k.tenant().id(), k.tenant().name(), k.role()));
    }
}
