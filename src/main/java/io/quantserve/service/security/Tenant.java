package io.quantserve.service.security;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import java.util.regex.Pattern;

/** An owner of models, datasets and jobs; created when its first key is issued. */
@Entity
@Table(name = "tenants")
public class Tenant {
    /** Tenant names: lower-case letters, digits and hyphens, 1 to 63 characters, not starting with a hyphen. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    @Id
    private UUID id;

    @Column(nullable = false, unique = true)
    private String name;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected Tenant() {}

    Tenant(UUID id, String name, Instant createdAt) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("tenant name '" + name + "' does not match " + NAME.pattern());
        }
        this.id = id;
        this.name = name;
        this.createdAt = createdAt;
    }

    public UUID id() {
        return id;
    }

    public String name() {
        return name;
    }

    public Instant createdAt() {
        return createdAt;
    }
}
