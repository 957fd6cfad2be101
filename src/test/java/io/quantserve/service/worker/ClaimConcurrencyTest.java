package io.quantserve.service.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.quantserve.service.jobs.Claim;
import io.quantserve.service.jobs.JobQueue;
import io.quantserve.service.support.JobTest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The one-statement claim under contention: eight threads, each its own worker with its own connection, claim from
 * the same queue at once until it is empty; every job is claimed exactly once and the row names the worker that got
 * it.
 */
class ClaimConcurrencyTest extends JobTest {
    private static final int JOBS = 40;
    private static final int THREADS = 8;

    @Autowired
    WorkerPool pool;

    @Autowired
    JobQueue queue;

    @Test
    void concurrentWorkersClaimEveryJobExactlyOnce() throws Exception {
        TenantKey t = newTenant("claims");
        UUID model = uploadMnist(t);
        UUID data = uploadCalibration(t, 64);
        pool.pause();
        try {
            List<UUID> mine = new ArrayList<>();
            Instant base = Instant.parse("2001-01-01T00:00:00Z");
            for (int i = 0; i < JOBS; i++) {
                UUID id = UUID.randomUUID();
                jdbc.update(
                        "insert into jobs (id, tenant_id, state, model_id, dataset_id, options, created_at, updated_at)"
                                + " values (?, ?, 'QUEUED', ?, ?, '{\"batch_size\":32}'::jsonb, ?, ?)",
                        id,
                        t.id(),
                        model,
                        data,
                        java.sql.Timestamp.from(base.plusSeconds(i)),
                        java.sql.Timestamp.from(base.plusSeconds(i)));
                mine.add(id);
            }

            Map<UUID, String> claimedBy = new ConcurrentHashMap<>();
            List<UUID> claims = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService threads = Executors.newFixedThreadPool(THREADS);
            List<Future<Integer>> done = new ArrayList<>();
            for (int w = 0; w < THREADS; w++) {
                String owner = "contender-" + w;
                done.add(threads.submit(() -> {
                    start.await();
                    int n = 0;
                    for (Optional<Claim> c = queue.claim(owner); c.isPresent(); c = queue.claim(owner)) {
                        claims.add(c.get().jobId());
                        claimedBy.put(c.get().jobId(), owner);
                        n++;
                    }
                    return n;
                }));
            }
            start.countDown();
            int total = 0;
            for (Future<Integer> f : done) total += f.get(2, TimeUnit.MINUTES);
            threads.shutdown();

            assertThat(claims).as("no job claimed twice").doesNotHaveDuplicates();
            assertThat(claims).containsAll(mine);
            assertThat(total).isEqualTo(claims.size());
            assertThat(claims.stream()
                            .filter(mine::contains)
                            .map(claimedBy::get)
                            .collect(Collectors.toSet()))
                    .as("the work was shared")
                    .hasSizeGreaterThan(1);
            for (UUID id : mine) {
                Map<String, Object> row =
                        jdbc.queryForMap("select state, attempts, lease_owner from jobs where id = ?", id);
                assertThat(row.get("state")).isEqualTo("RUNNING");
                assertThat(row.get("attempts")).isEqualTo(1);
                assertThat(row.get("lease_owner")).isEqualTo(claimedBy.get(id));
            }
        } finally {
            jdbc.update(
                    "update jobs set state = 'CANCELLED', lease_owner = null, lease_expires_at = null"
                            + " where tenant_id = ? and state in ('QUEUED', 'RUNNING')",
                    t.id());
            pool.resume();
        }
    }
}
