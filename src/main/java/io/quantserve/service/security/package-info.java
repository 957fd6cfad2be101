/**
 * Tenants and API keys: every request except {@code /actuator/health} carries a key ({@code Authorization: Bearer}
 * or {@code X-API-Key}); keys are stored as SHA-256 hashes; an admin key from configuration bootstraps the rest.
 * Controllers receive the authenticated {@link io.quantserve.service.security.Caller} as a method argument.
 */
@NullMarked
package io.quantserve.service.security;

import org.jspecify.annotations.NullMarked;
