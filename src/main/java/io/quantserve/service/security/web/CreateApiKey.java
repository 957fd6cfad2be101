package io.quantserve.service.security.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quantserve.service.security.Role;
import jakarta.validation.constraints.Future;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Body of {@code POST /v1/admin/api-keys}.
 *
 * @param tenant the tenant the key acts for, created when new
 * @param role {@code user} (default) or {@code admin}
 * @param description free text to recognise the key by
 * @param expiresAt when the key stops working; never when absent
 */
record CreateApiKey(
        @NotNull
        @Pattern(
                regexp = "[a-z0-9][a-z0-9-]{0,62}",
                message = "must be 1-63 of a-z, 0-9 and '-', not starting with '-'")
        String tenant,

        @Nullable Role role,
        @Nullable @Size(max = 200) String description,
        @JsonProperty("expires_at") @Nullable @Future Instant expiresAt) {}
