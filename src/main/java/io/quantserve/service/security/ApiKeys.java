package io.quantserve.service.security;

import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

/** The api_keys table. */
interface ApiKeys extends JpaRepository<ApiKey, UUID> {

    /** The key with this hash, its tenant loaded (authentication runs outside any transaction). */
    @Query("select k from ApiKey k join fetch k.tenant where k.keyHash = :hash")
    Optional<ApiKey> findByHash(@Param("hash") String hash);
}
