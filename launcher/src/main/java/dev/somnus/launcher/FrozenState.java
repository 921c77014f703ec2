package dev.somnus.launcher;

import java.util.concurrent.atomic.AtomicInteger;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;

/**
 * Whether the guest's file systems are frozen, as the launcher must know it (qga-reference §3.4):
 * while the freeze family has a {@code dev.somnus.api.command.FrozenFileSystems} service registered,
 * the log file is held back (it may live on a frozen file system, and a write there would block
 * whichever thread makes it), and SIGTERM/SIGINT are ignored as qemu-ga ignores them, so a frozen
 * guest is only thawed by the host's guest-fsfreeze-thaw. The service is watched by its class name:
 * the launcher does not share the api's classes with the bundles.
 */
final class FrozenState {

    static final String SERVICE = "dev.somnus.api.command.FrozenFileSystems";

    private final AtomicInteger registered = new AtomicInteger();
    private final AgentLog log;

    private FrozenState(AgentLog log) {
        this.log = log;
    }

    static FrozenState watch(Framework framework, AgentLog log) {
        FrozenState state = new FrozenState(log);
        BundleContext context = framework.getBundleContext();
        try {
            context.addServiceListener(event -> {
                if (event.getType() == ServiceEvent.REGISTERED) {
                    state.changed(state.registered.incrementAndGet());
                } else if (event.getType() == ServiceEvent.UNREGISTERING) {
                    state.changed(state.registered.decrementAndGet());
                }
            }, "(objectClass=" + SERVICE + ")");
            // an agent that started frozen (qga.state.isfrozen) registered it before this listener
            ServiceReference<?>[] already = context.getAllServiceReferences(SERVICE, null);
            if (already != null) {
                state.changed(state.registered.addAndGet(already.length));
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        return state;
    }

    boolean frozen() {
        return registered.get() > 0;
    }

    private void changed(int now) {
        log.hold(now > 0);
    }
}
