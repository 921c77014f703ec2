package dev.somnus.provider.common;

import dev.somnus.api.process.ChildProcess;
import dev.somnus.api.process.ChildProcesses;
import dev.somnus.api.process.ChildSpec;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The reaper's {@link ChildProcesses} as one provider component sees it: it remembers the children
 * the provider started until they are reaped, and {@link #close()} (the component's deactivation:
 * its bundle stopped, updated or uninstalled) cancels those still running and refuses new ones. A
 * provider that goes away in the middle of a {@code pm-hibernate} must not leave the request
 * hanging on a helper nobody owns any more: the action ends killed, the dispatch reports it and
 * tries the next provider (qga-reference §4.3 falls through the same way after a failure).
 *
 * <p>The one exemption: a child whose spec {@link ChildSpec#survivesStop() survives the stop} (a
 * shutdown helper) is not cancelled here, since the shutdown it hands on is what stops the agent
 * and its bundles; killing it then would abort the shutdown the host asked for.
 */
public final class ProviderChildren implements ChildProcesses, AutoCloseable {

    private final ChildProcesses reaper;
    private final String provider;
    private final Set<ChildProcess> running = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    public ProviderChildren(ChildProcesses reaper, String provider) {
        this.reaper = Objects.requireNonNull(reaper, "reaper");
        this.provider = Objects.requireNonNull(provider, "provider");
    }

    @Override
    public ChildProcess spawn(ChildSpec spec) {
        if (closed) {
            return ChildProcess.notStarted(spec.argv(), -1, "the " + provider + " provider has been stopped");
        }
        ChildProcess child = reaper.spawn(spec);
        if (spec.survivesStop()) {
            return child;
        }
        running.add(child);
        child.outcome().whenComplete((outcome, never) -> running.remove(child));
        if (closed) {
            // closed while this spawn ran: close() may have missed the child
            child.cancel();
        }
        return child;
    }

    /**
     * Cancels every running child (SIGTERM, then SIGKILL after its grace) but those that survive
     * the stop, and refuses new ones.
     */
    @Override
    public void close() {
        closed = true;
        for (ChildProcess child : running) {
            child.cancel();
        }
    }
}
