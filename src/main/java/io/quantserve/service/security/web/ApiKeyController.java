package io.quantserve.service.security.web;

import io.quantserve.service.security.ApiKeyIssuer;
import io.quantserve.service.security.ApiKeyIssuer.IssuedKey;
import io.quantserve.service.security.Role;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.net.URI;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** {@code /v1/admin/api-keys}: issue and revoke keys (admin keys only; the filter enforces it). */
@RestController
@Tag(name = "admin", description = "API keys and tenants (admin keys only)")
@RequestMapping("/v1/admin/api-keys")
class ApiKeyController {
    private final ApiKeyIssuer issuer;

    ApiKeyController(ApiKeyIssuer issuer) {
        this.issuer = issuer;
    }

    @Operation(
            operationId = "createApiKey",
            summary = "Issue an API key for a tenant (created when new); the key is shown only in this answer")
    @ResponseStatus(HttpStatus.CREATED)
    @PostMapping(consumes = "application/json", produces = "application/json")
    ResponseEntity<IssuedApiKey> create(@Valid @RequestBody CreateApiKey request) {
        Role role = request.role() == null ? Role.USER : request.role();
        IssuedKey issued = issuer.issue(request.tenant(), role, request.description(), request.expiresAt());
        return ResponseEntity.created(
                        URI.create("/v1/admin/api-keys/" + issued.key().id()))
                .body(IssuedApiKey.of(issued));
    }

    @Operation(operationId = "revokeApiKey", summary = "Revoke an API key; it stops working at once")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @DeleteMapping("/{id}")
    ResponseEntity<Void> revoke(@PathVariable UUID id) {
        issuer.revoke(id);
        return ResponseEntity.noContent().build();
    }
}
