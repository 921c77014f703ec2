package dev.somnus.reaper.impl;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Hooks SIGCHLD through {@code sun.misc.Signal}. The JVM runs the handler on a fresh thread per
 * delivery, and deliveries merge, so the handler only wakes the reaper's loop, which then looks
 * at every child it owns.
 *
 * <p>The JDK sets SIGCHLD back to SIG_DFL when {@code java.lang.ProcessImpl} initialises (its
 * first process launch); a handler installed before that would silently never run again, so
 * that initialisation is forced first (stack.md, "Child processes in the JVM").
 */
final class SigChld {

    private static final Signal CHLD = new Signal("CHLD");

    private final SignalHandler ours;
    private final SignalHandler previous;

    private SigChld(Runnable onSignal) {
        forceJdkProcessInit();
        SignalHandler[] before = new SignalHandler[1];
        this.ours = sig -> {
            onSignal.run();
            SignalHandler chained = before[0];
            // Another handler installed before ours (another reaper instance during a bundle
            // update, say) keeps getting the signal.
            if (chained != null && chained != SignalHandler.SIG_DFL && chained != SignalHandler.SIG_IGN) {
                chained.handle(sig);
            }
        };
        before[0] = Signal.handle(CHLD, ours);
        this.previous = before[0];
    }

    static SigChld install(Runnable onSignal) {
        return new SigChld(onSignal);
    }

    /** Puts back the handler that was there before, unless someone replaced ours meanwhile. */
    void uninstall() {
        SignalHandler current = Signal.handle(CHLD, previous);
        if (current != ours) {
            Signal.handle(CHLD, current);
        }
    }

    private static void forceJdkProcessInit() {
        try {
            Class.forName("java.lang.ProcessImpl", true, null);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("this JDK has no java.lang.ProcessImpl", e);
        }
    }
}
