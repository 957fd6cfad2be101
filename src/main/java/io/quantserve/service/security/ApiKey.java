package io.quantserve.service.security;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An issued API key. Only its SHA-256 hash is kept, plus a short prefix of the key so that people can tell keys
 * apart. A key authenticates while it is neither revoked nor expired.
 */
@Entity
@Table(name = "api_keys")
public class ApiKey {
    @Id
    private UUID id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "tenant_id", nullable = false)
    private Tenant tenant;

    @Column(name = "key_hash", nullable = false, unique = true, length = 64)
    private String keyHash;

    @Column(name = "key_prefix", nullable = false)
    private String keyPrefix;

    @Column(nullable = false)
    private Role role;

    private @Nullable String description;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "expires_at")
    private @Nullable Instant expiresAt;

    @Column(name = "revoked_at")
    private @Nullable Instant revokedAt;

    protected ApiKey() {}

    ApiKey(
            UUID id,
            Tenant tenant,
            String keyHash,
            String keyPrefix,
            Role role,
            @Nullable String description,
            Instant createdAt,
            @Nullable Instant expiresAt) {
        this.id = id;
        this.tenant = tenant;
        this.keyHash = keyHash;
        this.keyPrefix = keyPrefix;
        this.role = role;
        this.description = description;
        this.createdAt = createdAt;
        this.expiresAt = expiresAt;
    }

    /** True when the key authenticates at {@code now}: not revoked, and not past its expiry. */
    public boolean usableAt(Instant now) {
        return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
    }

    /** Revokes the key at {@code at}; revoking a revoked key keeps the first revocation time. */
    void revoke(Instant at) {
        if (revokedAt == null) revokedAt = at;
    }

    public UUID id() {
        return id;
    }

    public Tenant tenant() {
        return tenant;
    }

    public String keyPrefix() {
        return keyPrefix;
    }

    public Role role() {
        return role;
    }

    public @Nullable String description() {
        return description;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public @Nullable Instant expiresAt() {
        return expiresAt;
    }

    public @Nullable Instant revokedAt() {
        return revokedAt;
    }
}
