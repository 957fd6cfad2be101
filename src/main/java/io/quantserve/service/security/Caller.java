package io.quantserve.service.security;

import java.util.UUID;

/**
 * Who is calling: the tenant every row and object of the request belongs to, and the key's role. Declare a
 * {@code Caller} parameter on a controller method to receive it.
 *
 * @param tenantId the tenant's id, used in object keys and as the owner column of every row
 * @param tenant the tenant's name
 * @param role the role of the key used
 */
public record Caller(UUID tenantId, String tenant, Role role) {
    /** True for admin keys. */
    public boolean isAdmin() {
        return role == Role.ADMIN;
    }
}
