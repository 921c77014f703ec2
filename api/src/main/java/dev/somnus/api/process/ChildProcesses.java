package dev.somnus.api.process;

/**
 * Starts programs and owns them until they are reaped. A program named without a slash is
 * resolved against the service's configured trusted directories (never the inherited
 * {@code PATH}), and only a program nobody but the agent's user and root could have changed is
 * run; no shell is involved, ever. The one exception is a program the host named
 * ({@link ChildSpec#hostChosen()}, guest-exec): it is found and run as qemu-ga would. Each child runs in a new session with default signal
 * dispositions and no descriptors besides 0-2. Start failures are not thrown: they complete the
 * outcome as {@link ChildOutcome.Kind#FAILED_TO_START}, so callers handle every end in one place.
 * When the service goes away, its running children are killed and reaped, except those whose spec
 * {@link ChildSpec#survivesStop() survives the stop}: those are let go of, still running.
 */
public interface ChildProcesses {

    /**
     * Service property (String): the trusted directories, colon-separated in lookup order, as now
     * configured (the reaper's configuration property of the same name, which DS publishes with
     * the service). It changes (through the registry) whenever the configuration does, so a
     * consumer whose answers depend on what can be found there (a provider's probe for a helper
     * program) learns of it in its reference's updated callback.
     */
    String TRUSTED_DIRECTORIES = "trusted.directories";

    /**
     * Starts a child.
     *
     * @param spec what to run and how
     * @return a handle whose {@link ChildProcess#outcome()} completes once the child has been reaped
     *         (or could not start)
     */
    ChildProcess spawn(ChildSpec spec);
}
