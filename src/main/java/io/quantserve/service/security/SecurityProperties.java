package io.quantserve.service.security;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of authentication ({@code quantserve.security.*}).
 *
 * @param adminKey the bootstrap admin key (at least 16 characters), accepted as an admin of {@code adminTenant}
 *     without being stored; without it no admin can log in until an admin key has been issued otherwise. Pass it
 *     through the environment ({@code QUANTSERVE_SECURITY_ADMIN_KEY}), not a file under version control
 * @param adminTenant the tenant the bootstrap key acts for, created on start when missing
 */
@ConfigurationProperties("quantserve.security")
public record SecurityProperties(
        @Nullable String adminKey, @DefaultValue("admin") String adminTenant) {
    /** Shortest bootstrap key accepted. */
    public static final int MIN_ADMIN_KEY_LENGTH = 16;
}
