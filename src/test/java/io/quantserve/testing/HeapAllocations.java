package io.quantserve.testing;

import java.lang.management.ManagementFactory;

/** Heap allocation measured across threads, for tests that bound the garbage a loop makes. */
public final class HeapAllocations {
    private HeapAllocations() {}

    /** Heap bytes allocated by every thread of the JVM while {@code work} runs (pool threads included). */
    public static long allocatedBy(Runnable work) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getTotalThreadAllocatedBytes();
        work.run();
        return threads.getTotalThreadAllocatedBytes() - before;
    }
}
