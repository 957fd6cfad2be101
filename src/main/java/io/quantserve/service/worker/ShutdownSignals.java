package io.quantserve.service.worker;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Drains the worker pools on SIGTERM and SIGINT before the JVM starts shutting down.
 *
 * <p>Why: the JVM runs all its shutdown hooks at once, in no order, and ONNX Runtime registers one that closes its
 * native environment. An attempt still calibrating when that hook runs fails ("Attempt to use DefaultLogger but none
 * has been registered") and the process may abort, so Spring's own hook (which stops the pools) comes too late. Here
 * the signal first makes every started pool hand its running jobs back and waits for them ({@link WorkerPool#drain}),
 * then passes the signal on to the JVM's handler, which starts the shutdown as before (exit status 128 + signal).
 *
 * <p>Installed once per JVM, by the first pool that starts workers; a signal the process ignores stays ignored.
 */
final class ShutdownSignals {
    private static final Logger log = LoggerFactory.getLogger(ShutdownSignals.class);
    private static final Set<WorkerPool> pools = ConcurrentHashMap.newKeySet();
    private static final Map<String, SignalHandler> next = new ConcurrentHashMap<>();
    private static boolean installed;

    private ShutdownSignals() {}

    /** Drains {@code pool} on the next SIGTERM or SIGINT (until {@link #unregister}). */
    static synchronized void register(WorkerPool pool) {
        pools.add(pool);
        if (installed) return;
        installed = true;
        install("TERM");
        install("INT");
    }

    static void unregister(WorkerPool pool) {
        pools.remove(pool);
    }

    private static void install(String name) {
        try {
            Signal signal = new Signal(name);
            SignalHandler previous = Signal.handle(signal, ShutdownSignals::onSignal);
            if (previous == SignalHandler.SIG_IGN) Signal.handle(signal, previous);
            else next.put(name, previous);
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // the JVM keeps the signal (-Xrs) or the platform lacks it: pools then stop in Spring's shutdown hook
            log.debug("no SIG{} handler for draining the worker pool: {}", name, e.toString());
        }
    }

    private static void onSignal(Signal signal) {
        for (WorkerPool pool : List.copyOf(pools)) pool.drain();
        SignalHandler previous = next.get(signal.getName());
        if (previous == null || previous == SignalHandler.SIG_DFL) System.exit(128 + signal.getNumber());
        else previous.handle(signal);
    }
}
