package io.quantserve.service.datasets;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

/** The datasets table; every query is scoped to one tenant. */
interface Datasets extends JpaRepository<Dataset, UUID> {

    Optional<Dataset> findByIdAndTenantId(UUID id, UUID tenantId);

    @Query("select d from Dataset d where d.tenantId = :tenant order by d.createdAt desc, d.id desc")
    List<Dataset> newest(@Param("tenant") UUID tenant, Limit limit);

    @Query("select d from Dataset d where d.tenantId = :tenant"
            + " and (d.createdAt < :at or (d.createdAt = :at and d.id < :id))"
            + " order by d.createdAt desc, d.id desc")
    List<Dataset> newestAfter(@Param("tenant") UUID tenant, @Param("at") Instant at, @Param("id") UUID id, Limit limit);
}
