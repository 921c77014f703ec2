package dev.somnus.suspend.common;

import dev.somnus.api.suspend.Availability;
import dev.somnus.api.suspend.Reasons;
import dev.somnus.api.suspend.SuspendMode;
import dev.somnus.api.suspend.SuspendOutcome;
import dev.somnus.api.suspend.SuspendProvider;
import java.time.Instant;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import org.osgi.framework.Constants;

/**
 * One provider for one mode, as the registry sees it: keeps the latest answer of its
 * {@link SuspendMethod}, and republishes its service properties whenever availability or reason
 * changes, with the ranking rule of {@link SuspendProvider} (base rank while available, base rank
 * minus {@link SuspendProvider#UNAVAILABLE_PENALTY} while not). Probes are serialised per
 * provider; the action is not held under that lock, since it may last for the whole sleep. Once
 * {@link #withdraw() withdrawn} (its component deactivated) it acts no more, and an action that was
 * running then is reported as stopped with the provider, never as done.
 */
public final class PublishedProvider implements SuspendProvider {

    /** The outcome reason of an action cut short because the provider went away. */
    public static final String STOPPED = "provider-stopped";

    private volatile ProviderSettings settings;
    private final SuspendMode mode;
    private volatile SuspendMethod method;
    private final Object probeLock = new Object();
    private volatile Availability availability;
    private volatile boolean withdrawn;
    private Consumer<Dictionary<String, Object>> publisher = properties -> { };

    public PublishedProvider(ProviderSettings settings, SuspendMode mode, SuspendMethod method) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.mode = Objects.requireNonNull(mode, "mode");
        this.method = Objects.requireNonNull(method, "method");
        this.availability = settings.enabled()
                ? new Availability(false, Reasons.NOT_PROBED, "no probe has completed yet", Instant.EPOCH)
                : disabled();
    }

    /**
     * Registers the service through {@code register} (given the current properties, returning
     * where later property sets go, normally {@code ServiceRegistration::setProperties}). Done under
     * the probe lock so that no probe can slip between registration and the first update.
     */
    public void publishWith(Function<Dictionary<String, Object>, Consumer<Dictionary<String, Object>>> register) {
        synchronized (probeLock) {
            publisher = Objects.requireNonNull(register.apply(properties()), "publisher");
        }
    }

    /** The service properties for the current answer. */
    public Dictionary<String, Object> properties() {
        Availability now = availability;
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(PROVIDER, settings.provider());
        properties.put(MODE, mode.id());
        properties.put(AVAILABLE, now.available());
        properties.put(REASON, now.reason());
        properties.put(Constants.SERVICE_RANKING, ranking(settings.baseRank(), now.available()));
        return properties;
    }

    /**
     * Takes a changed configuration in place: the service stays registered (consumers never see the
     * provider vanish), is probed with the new method at once, and its properties are republished,
     * since the rank may have changed even where the answer did not.
     */
    public void reconfigure(ProviderSettings newSettings, SuspendMethod newMethod) {
        synchronized (probeLock) {
            settings = Objects.requireNonNull(newSettings, "settings");
            method = Objects.requireNonNull(newMethod, "method");
        }
        probe();
        synchronized (probeLock) {
            publisher.accept(properties());
        }
    }

    /** The ranking rule of {@link SuspendProvider}. */
    public static int ranking(int baseRank, boolean available) {
        return available ? baseRank : baseRank - UNAVAILABLE_PENALTY;
    }

    @Override
    public String provider() {
        return settings.provider();
    }

    @Override
    public SuspendMode mode() {
        return mode;
    }

    @Override
    public Availability availability() {
        return availability;
    }

    @Override
    public Availability probe() {
        synchronized (probeLock) {
            Availability next;
            if (!settings.enabled()) {
                next = disabled();
            } else {
                try {
                    next = method.probe();
                } catch (InterruptedException e) {
                    // Deactivation interrupts a running probe: keep the last real answer.
                    Thread.currentThread().interrupt();
                    return availability;
                } catch (RuntimeException e) {
                    next = Availability.unavailable(Reasons.PROBE_FAILED, "the probe failed: " + e);
                }
            }
            Availability previous = availability;
            availability = next;
            if (previous.available() != next.available() || !previous.reason().equals(next.reason())) {
                publisher.accept(properties());
            }
            return next;
        }
    }

    @Override
    public String action() {
        return method.action();
    }

    @Override
    public SuspendOutcome suspend() throws InterruptedException {
        if (!settings.enabled()) {
            return SuspendOutcome.failed(Reasons.DISABLED, disabled().sentence());
        }
        if (withdrawn) {
            return SuspendOutcome.failed(STOPPED, "the " + settings.provider() + " provider has been stopped");
        }
        SuspendOutcome outcome;
        try {
            outcome = method.perform();
        } catch (RuntimeException e) {
            outcome = SuspendOutcome.failed("action-failed", action() + " failed: " + e);
        }
        if (withdrawn && !outcome.done()) {
            return SuspendOutcome.failed(STOPPED, "the " + settings.provider() + " provider was stopped while it ran "
                    + action() + ": " + outcome.sentence());
        }
        return outcome;
    }

    /**
     * Marks the provider as gone (its component is deactivating): {@link #suspend()} refuses from now
     * on, and a running action that then fails (normally because {@link ProviderChildren#close()}
     * killed its helper) is reported as {@value #STOPPED}.
     */
    public void withdraw() {
        withdrawn = true;
    }

    private Availability disabled() {
        return Availability.unavailable(Reasons.DISABLED,
                "the " + settings.provider() + " provider is switched off by configuration (enabled=false)");
    }

    @Override
    public String toString() {
        return settings.provider() + "/" + mode.id() + " " + availability.reason();
    }
}
