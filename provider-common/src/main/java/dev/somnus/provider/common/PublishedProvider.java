package dev.somnus.provider.common;

import dev.somnus.api.provider.Availability;
import dev.somnus.api.provider.Outcome;
import dev.somnus.api.provider.Provider;
import dev.somnus.api.provider.Reasons;
import java.time.Instant;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.osgi.framework.Constants;

/**
 * One provider for one family and mode, as the registry sees it: keeps the latest answer of its
 * {@link ProviderMethod}, and republishes its service properties whenever availability or reason
 * changes, with the ranking rule of {@link Provider} (base rank while available, base rank minus
 * {@link Provider#UNAVAILABLE_PENALTY} while not). Probes are serialised per provider; the action
 * is not held under that lock, since it may last for the whole sleep.
 *
 * <p>Staleness: {@link #inputsChanged()} (the provider's configuration or the reaper's trusted
 * directories changed) makes the current answer stale; until a probe that started after the
 * change completes, {@link #availability()} probes (or waits for the probe running) instead of
 * answering from the old evidence. Once {@link #withdraw() withdrawn} (its component deactivated)
 * it acts no more, and an action that was running then is reported as stopped with the provider,
 * never as done.
 */
public final class PublishedProvider implements Provider {

    /** The outcome reason of an action cut short because the provider went away. */
    public static final String STOPPED = Reasons.PROVIDER_STOPPED;

    private final String family;
    private final String mode;
    private volatile ProviderSettings settings;
    private volatile ProviderMethod method;
    private final Object probeLock = new Object();
    private volatile Availability availability;
    /** Counts input changes; the answer is fresh while {@link #answered} equals it. */
    private final AtomicLong inputs = new AtomicLong();
    /** The value of {@link #inputs} when the probe behind {@link #availability} started. */
    private volatile long answered;
    private volatile boolean withdrawn;
    private Consumer<Dictionary<String, Object>> publisher = properties -> { };

    public PublishedProvider(String family, String mode, ProviderSettings settings, ProviderMethod method) {
        this.family = Objects.requireNonNull(family, "family");
        this.mode = Objects.requireNonNull(mode, "mode");
        this.settings = Objects.requireNonNull(settings, "settings");
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
        properties.put(FAMILY, family);
        properties.put(MODE, mode);
        properties.put(NAME, settings.provider());
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
    public void reconfigure(ProviderSettings newSettings, ProviderMethod newMethod) {
        synchronized (probeLock) {
            settings = Objects.requireNonNull(newSettings, "settings");
            method = Objects.requireNonNull(newMethod, "method");
            inputs.incrementAndGet();
        }
        probe();
        synchronized (probeLock) {
            publisher.accept(properties());
        }
    }

    /**
     * Marks the current answer stale because something it was drawn from changed (the reaper's
     * trusted directories, say): from now on {@link #availability()} does not return it, and the
     * next probe that starts counts. Does not probe itself; the caller schedules one.
     */
    public void inputsChanged() {
        inputs.incrementAndGet();
    }

    /** True while an input changed after the probe behind the current answer started. */
    public boolean stale() {
        return answered != inputs.get();
    }

    /** The ranking rule of {@link Provider}. */
    public static int ranking(int baseRank, boolean available) {
        return available ? baseRank : baseRank - UNAVAILABLE_PENALTY;
    }

    @Override
    public String name() {
        return settings.provider();
    }

    @Override
    public String family() {
        return family;
    }

    @Override
    public String mode() {
        return mode;
    }

    @Override
    public Availability availability() {
        if (!stale()) {
            return availability;
        }
        synchronized (probeLock) {
            // a probe that ran while this thread waited for the lock may have answered already
            return stale() ? probe() : availability;
        }
    }

    @Override
    public Availability probe() {
        synchronized (probeLock) {
            long startedAt = inputs.get();
            Availability next;
            if (!settings.enabled()) {
                next = disabled();
            } else {
                try {
                    next = method.probe();
                } catch (InterruptedException e) {
                    // Deactivation interrupts a running probe: keep the last real answer (still stale).
                    Thread.currentThread().interrupt();
                    return availability;
                } catch (RuntimeException e) {
                    next = Availability.unavailable(Reasons.PROBE_FAILED, "the probe failed: " + e);
                }
            }
            Availability previous = availability;
            availability = next;
            answered = startedAt;
            if (previous.available() != next.available() || !previous.reason().equals(next.reason())) {
                publisher.accept(properties());
            }
            return next;
        }
    }

    @Override
    public String action(Map<String, Object> request) {
        return method.action(request);
    }

    @Override
    public Outcome perform(Map<String, Object> request) throws InterruptedException {
        if (!settings.enabled()) {
            return Outcome.failed(Reasons.DISABLED, disabled().sentence());
        }
        if (withdrawn) {
            return Outcome.failed(STOPPED, "the " + settings.provider() + " provider has been stopped");
        }
        Outcome outcome;
        try {
            outcome = method.perform(request);
        } catch (RuntimeException e) {
            outcome = Outcome.failed(Reasons.ACTION_FAILED, action(request) + " failed: " + e);
        }
        if (withdrawn && !outcome.done()) {
            return Outcome.failed(STOPPED, "the " + settings.provider() + " provider was stopped while it ran "
                    + action(request) + ": " + outcome.sentence());
        }
        return outcome;
    }

    /**
     * Marks the provider as gone (its component is deactivating): {@link #perform(Map)} refuses from
     * now on, and a running action that then fails (normally because {@link ProviderChildren#close()}
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
        return settings.provider() + " " + family + "/" + mode + " " + availability.reason();
    }
}
