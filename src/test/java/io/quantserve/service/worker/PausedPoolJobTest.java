package io.quantserve.service.worker;

import io.quantserve.service.jobs.JobQueue;
import io.quantserve.service.storage.ObjectStore;
import io.quantserve.service.support.JobTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A job test that drives workers by hand: the application's own pool is paused for each test so that only the
 * workers the test makes claim from {@link #queue}.
 */
abstract class PausedPoolJobTest extends JobTest {
    @Autowired
    WorkerPool pool;

    @Autowired
    JobQueue queue;

    @Autowired
    ObjectStore store;

    @BeforeEach
    void pausePool() {
        pool.pause();
    }

    @AfterEach
    void resumePool() {
        pool.resume();
    }
}
