package dev.somnus.suspend.common;

import dev.somnus.api.suspend.Availability;
import dev.somnus.api.suspend.SuspendOutcome;

/**
 * How one provider probes, names and performs one mode: the only part a provider bundle writes.
 * {@link PublishedProvider} adds the caching, the service properties and the ranking around it.
 * Neither method throws for an ordinary failure; both answer with the reason and the evidence.
 */
public interface SuspendMethod {

    /** Finds out now whether the mode could be performed. */
    Availability probe() throws InterruptedException;

    /** The exact action {@link #perform()} takes, e.g. {@code exec pm-hibernate}. */
    String action();

    /** Performs the action; blocks until it returns (for most methods: after resume). */
    SuspendOutcome perform() throws InterruptedException;
}
