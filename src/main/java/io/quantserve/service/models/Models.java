package io.quantserve.service.models;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

/** The models table; every query is scoped to one tenant. */
interface Models extends JpaRepository<Model, UUID> {

    Optional<Model> findByIdAndTenantId(UUID id, UUID tenantId);

    @Query("select m from Model m where m.tenantId = :tenant order by m.createdAt desc, m.id desc")
    List<Model> newest(@Param("tenant") UUID tenant, Limit limit);

    @Query("select m from Model m where m.tenantId = :tenant"
            + " and (m.createdAt < :at or (m.createdAt = :at and m.id < :id))"
            + " order by m.createdAt desc, m.id desc")
    List<Model> newestAfter(@Param("tenant") UUID tenant, @Param("at") Instant at, @Param("id") UUID id, Limit limit);
}
