package dev.somnus.api.provider;

import java.util.Map;

/**
 * One way of performing one mode of one command family (suspend to disk through pm-utils, power
 * down through systemd, set the clock through hwclock), registered as a service with the
 * properties {@link #FAMILY}, {@link #MODE}, {@link #NAME}, {@link #AVAILABLE}, {@link #REASON}
 * and {@code service.ranking}. A family's command binds the providers of its family and mode by a
 * target filter, e.g. {@code (&(somnus.provider.family=suspend)(somnus.provider.mode=disk))},
 * and tries the available ones from the highest ranking down. Implementations are thread-safe.
 */
public interface Provider {

    /**
     * Service property (String): the command family the provider serves, e.g. {@code suspend},
     * {@code shutdown}, {@code clock}; it never changes while the service is registered.
     */
    String FAMILY = "somnus.provider.family";

    /**
     * Service property (String): the family's mode the provider performs, e.g. {@code disk},
     * {@code ram}, {@code hybrid} (suspend), {@code powerdown} (shutdown), {@code set} (clock); it
     * never changes while the service is registered.
     */
    String MODE = "somnus.provider.mode";

    /**
     * Service property (String): the provider's name, unique within its family and mode, e.g.
     * {@code systemd}, {@code pmutils}, {@code sysfs}; it is what errors, logs and reports call it.
     */
    String NAME = "somnus.provider.name";

    /**
     * Service property (Boolean): the {@link Availability#available()} of the latest probe. A
     * provider updates it (and {@link #REASON} and {@code service.ranking}) through its
     * registration whenever a probe changes the answer, so consumers read availability from the
     * registry and never poll.
     */
    String AVAILABLE = "somnus.provider.available";

    /** Service property (String): the {@link Availability#reason()} of the latest probe, see {@link Reasons}. */
    String REASON = "somnus.provider.reason";

    /**
     * Subtracted from the provider's configured base rank in {@code service.ranking} while it is
     * unavailable, so every available provider of a mode ranks above every unavailable one and the
     * base ranks order each group.
     */
    int UNAVAILABLE_PENALTY = 10_000;

    /** The value of {@link #NAME}. */
    String name();

    /** The value of {@link #FAMILY}. */
    String family();

    /** The value of {@link #MODE}. */
    String mode();

    /**
     * The latest answer, never one known to be stale: when an input the answer depends on has
     * changed since the last probe (the provider's configuration, the reaper's trusted directories)
     * and the probe that follows has not completed, this waits for it (probing itself if need be);
     * otherwise it returns at once without probing. Providers probe at activation, when an input
     * changes, on a configured interval and when {@link #probe()} is called.
     */
    Availability availability();

    /** Probes now, publishes the answer through the service properties, and returns it. */
    Availability probe();

    /**
     * The exact action {@link #perform(Map)} would take for this request, for dry runs and
     * explanations, e.g. {@code exec /usr/sbin/pm-hibernate} or {@code write "disk" to
     * /sys/power/state}; it never acts and never throws for an ordinary request.
     *
     * @param request the command's validated arguments (e.g. set-time's {@code time}); empty for
     *        commands without arguments (suspend)
     */
    String action(Map<String, Object> request);

    /**
     * Performs the action and blocks until it returns (for a suspend: mostly after the guest
     * resumed). It never throws for a failed action: it returns a failed {@link Outcome} naming the
     * cause, so the consumer can fall through to the next provider.
     *
     * @param request the command's validated arguments, as for {@link #action(Map)}
     * @throws InterruptedException when the waiting thread is interrupted; a helper the action
     *         started is then cancelled
     */
    Outcome perform(Map<String, Object> request) throws InterruptedException;
}
