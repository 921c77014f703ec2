package dev.somnus.provider.common;

import dev.somnus.api.provider.Provider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.log.Logger;

/**
 * The services of one provider component: one {@link Provider} per mode of its family, each probed
 * before it is registered (so its first properties are a real answer), then again on the
 * configured interval and after {@link #inputsChanged()} on a thread of its own, and whenever a
 * consumer calls {@link Provider#probe()}. A provider component (the helper providers through
 * {@link ProviderComponent}) creates this in its activate method, passes changed configurations
 * to {@link #reconfigure}, tells it when another input changed (the reaper's trusted
 * directories, through an updated callback of its ChildProcesses reference) and closes it in
 * deactivate.
 */
public final class ProviderRegistrations implements AutoCloseable {

    /** How long the inputs must stay unchanged before {@link #inputsChanged()} probes again. */
    public static final Duration INPUT_SETTLE = Duration.ofSeconds(1);

    private final List<PublishedProvider> providers = new ArrayList<>();
    private final List<ServiceRegistration<Provider>> registrations = new ArrayList<>();
    private final ScheduledExecutorService scheduler;
    private ScheduledFuture<?> intervalProbes;
    private ScheduledFuture<?> pendingReprobe;

    private ProviderRegistrations(String family, ProviderSettings settings) {
        scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "somnus-" + family + "-" + settings.provider() + "-probe");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Probes and registers one service per entry of {@code methods} (mode to method), and starts the
     * interval probes.
     *
     * @param family the value of {@code somnus.provider.family}, e.g. {@code suspend}
     */
    public static ProviderRegistrations register(BundleContext context, String family, ProviderSettings settings,
            Map<String, ProviderMethod> methods, Logger logger) {
        ProviderRegistrations result = new ProviderRegistrations(family, settings);
        try {
            for (Map.Entry<String, ProviderMethod> entry : methods.entrySet()) {
                result.providers.add(result.publish(context, family, entry.getKey(), entry.getValue(), settings,
                        logger));
            }
        } catch (RuntimeException e) {
            // DS will not call deactivate for a failed activation: take back what was registered
            result.close();
            throw e;
        }
        result.scheduleProbes(settings);
        return result;
    }

    /**
     * Applies a changed configuration without unregistering anything (the provider component's
     * modified method): each mode's service takes its new method and is probed again, and the
     * interval probes follow the new interval. Without this, every configuration delivered after
     * activation — a conf/*.cfg read by fileinstall, an operator's edit — would withdraw the
     * services and register them anew, and a request arriving in between would find no provider.
     */
    public synchronized void reconfigure(ProviderSettings settings, Map<String, ProviderMethod> methods) {
        for (PublishedProvider provider : providers) {
            ProviderMethod method = methods.get(provider.mode());
            if (method != null) {
                provider.reconfigure(settings, method);
            }
        }
        scheduleProbes(settings);
    }

    /**
     * Something every answer may depend on changed outside the provider's own configuration (the
     * reaper's trusted directories): every answer is stale from now on (a consumer asking waits for
     * a fresh one instead of acting on it), and every mode is probed again on the probe thread once
     * the inputs have been quiet for {@link #INPUT_SETTLE}. The pause lets a burst of changes settle
     * first: at start fileinstall applies conf/ one PID after the other, and the reaper's directories
     * arriving a few milliseconds before the provider's own configuration must not run a probe with
     * the provider's defaults in between.
     */
    public synchronized void inputsChanged() {
        for (PublishedProvider provider : providers) {
            provider.inputsChanged();
        }
        if (pendingReprobe != null) {
            pendingReprobe.cancel(false);
        }
        if (!scheduler.isShutdown()) {
            pendingReprobe = scheduler.schedule(this::probeAll, INPUT_SETTLE.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private synchronized void scheduleProbes(ProviderSettings settings) {
        if (intervalProbes != null) {
            intervalProbes.cancel(false);
            intervalProbes = null;
        }
        long interval = settings.probeInterval().toMillis();
        if (interval > 0 && settings.enabled() && !scheduler.isShutdown()) {
            intervalProbes = scheduler.scheduleWithFixedDelay(this::probeAll, interval, interval, TimeUnit.MILLISECONDS);
        }
    }

    private PublishedProvider publish(BundleContext context, String family, String mode, ProviderMethod method,
            ProviderSettings settings, Logger logger) {
        PublishedProvider provider = new PublishedProvider(family, mode, settings, method);
        provider.probe();
        provider.publishWith(properties -> {
            ServiceRegistration<Provider> registration = context.registerService(Provider.class, provider, properties);
            registrations.add(registration);
            return changed -> {
                logger.info("{} provider {} for {} is now {}: {}", family, provider.name(), mode,
                        provider.availability().reason(), provider.availability().sentence());
                try {
                    registration.setProperties(changed);
                } catch (IllegalStateException alreadyUnregistered) {
                    // a probe finishing while the component deactivates; nothing left to update
                }
            };
        });
        logger.info("{} provider {} for {} registered: {} ({})", family, provider.name(), mode,
                provider.availability().reason(), provider.availability().sentence());
        return provider;
    }

    /** The registered providers, in registration order. */
    public List<PublishedProvider> providers() {
        return List.copyOf(providers);
    }

    /** Probes every mode once (what the interval does). */
    public void probeAll() {
        for (PublishedProvider provider : providers) {
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
            provider.probe();
        }
    }

    /**
     * Withdraws every provider (no new action starts; see {@link PublishedProvider#withdraw()}), stops
     * the interval probes (interrupting a running one) and unregisters every service. A provider that
     * runs programs closes its {@link ProviderChildren} after this, which ends a running action.
     */
    @Override
    public void close() {
        for (PublishedProvider provider : providers) {
            provider.withdraw();
        }
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (ServiceRegistration<Provider> registration : registrations) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework unregisters a stopping bundle's services itself
            }
        }
        registrations.clear();
    }
}
