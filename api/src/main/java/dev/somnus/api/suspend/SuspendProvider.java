package dev.somnus.api.suspend;

/**
 * One way of performing one {@link SuspendMode}, registered as a service with these properties:
 * {@link #PROVIDER} (the provider's name), {@link #MODE}, {@link #AVAILABLE} (Boolean),
 * {@link #REASON} (the current {@link Availability#reason()}) and {@code service.ranking}. A provider
 * promises that the properties always reflect its latest probe: when availability changes it
 * updates them through its registration, and its ranking is its configured base rank while
 * available and that rank minus {@link #UNAVAILABLE_PENALTY} while not. Providers probe at
 * activation, on a configured interval, and when {@link #probe()} is called. {@link #suspend()}
 * never throws for a failed action: it returns a failed {@link SuspendOutcome} naming the cause.
 */
public interface SuspendProvider {

    String PROVIDER = "somnus.suspend.provider";
    String MODE = "somnus.suspend.mode";
    String AVAILABLE = "somnus.suspend.available";
    String REASON = "somnus.suspend.reason";

    /** Subtracted from the base rank while the provider is unavailable. */
    int UNAVAILABLE_PENALTY = 10_000;

    /** The provider's name, e.g. {@code systemd}, {@code pmutils}, {@code sysfs}. */
    String provider();

    SuspendMode mode();

    /** The latest probe's answer, without probing. */
    Availability availability();

    /** Probes now, publishes the answer through the service properties, and returns it. */
    Availability probe();

    /**
     * The exact action {@link #suspend()} would take, for dry runs and explanations, e.g.
     * {@code exec /usr/sbin/pm-hibernate} or {@code write "disk" to /sys/power/state}.
     */
    String action();

    /**
     * Suspends the guest. Blocks until the action returns, which for most providers is after the
     * guest resumed.
     */
    SuspendOutcome suspend() throws InterruptedException;
}
