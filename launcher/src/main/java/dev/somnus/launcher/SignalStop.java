package dev.somnus.launcher;

import org.osgi.framework.BundleException;
import org.osgi.framework.launch.Framework;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGTERM and SIGINT stop the framework so that main() returns and the process exits 0, as
 * qemu-ga does on them; a JVM shutdown hook would end with 143/130 instead. The handlers are
 * installed before the pidfile is written, so a signal that arrives while the framework is still
 * starting is remembered and acted on as soon as it is up. A stop that hangs is cut short after
 * {@link #BOUND_MILLIS} with status 1. While the guest's file systems are frozen both are ignored,
 * as qemu-ga ignores them ({@link FrozenState}).
 */
final class SignalStop {

    static final long BOUND_MILLIS = 10_000;

    private final AgentLog log;
    private volatile boolean requested;
    private volatile Framework framework;
    private volatile Runnable beforeHalt = () -> { };
    private volatile java.util.function.BooleanSupplier frozen = () -> false;

    private SignalStop(AgentLog log) {
        this.log = log;
    }

    static SignalStop install(AgentLog log) {
        SignalStop stop = new SignalStop(log);
        SignalHandler handler = signal -> {
            if (stop.frozen.getAsBoolean()) {
                // qemu-ga 7.2 ignores both while frozen: only guest-fsfreeze-thaw thaws the guest
                log.log(AgentLog.Level.WARNING, "received SIG" + signal.getName()
                        + " while the file systems are frozen: ignored until guest-fsfreeze-thaw");
                return;
            }
            log.log(AgentLog.Level.INFO, "received SIG" + signal.getName() + ", stopping");
            stop.request();
        };
        Signal.handle(new Signal("TERM"), handler);
        Signal.handle(new Signal("INT"), handler);
        return stop;
    }

    /** While this says frozen, SIGTERM and SIGINT are ignored (qga-reference §3.4). */
    void ignoreWhile(java.util.function.BooleanSupplier frozenNow) {
        frozen = frozenNow;
    }

    /** What must happen even when the stop hangs and the process halts (the pidfile's removal). */
    void beforeHalt(Runnable cleanup) {
        beforeHalt = cleanup;
    }

    boolean requested() {
        return requested;
    }

    /** The framework is up: stop it now if a signal came while it was starting. */
    void started(Framework started) {
        framework = started;
        if (requested) {
            stop(started);
        }
    }

    private void request() {
        requested = true;
        Framework current = framework;
        if (current != null) {
            stop(current);
        }
    }

    private void stop(Framework current) {
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(BOUND_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            log.log(AgentLog.Level.ERROR, "the framework did not stop within " + BOUND_MILLIS + " ms; exiting anyway");
            beforeHalt.run();
            Runtime.getRuntime().halt(1);
        }, "somnus-stop-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        try {
            current.stop();
        } catch (BundleException e) {
            log.log(AgentLog.Level.ERROR, "unable to stop the framework: " + e.getMessage());
        }
    }
}
