package io.quantserve.service.security;

import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

/** The tenants table. */
interface Tenants extends JpaRepository<Tenant, UUID> {
    Optional<Tenant> findByName(String name);
}
