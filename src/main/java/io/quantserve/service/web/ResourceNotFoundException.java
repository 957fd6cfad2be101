package io.quantserve.service.web;

/**
 * A resource the caller asked for does not exist for the caller's tenant (another tenant's resource included, so
 * that ids do not leak across tenants). Answered with 404 {@code not-found}.
 */
public final class ResourceNotFoundException extends RuntimeException {
    public ResourceNotFoundException(String kind, Object id) {
        super(kind + " '" + id + "' does not exist");
    }
}
