package dev.somnus.suspend.common;

import dev.somnus.api.suspend.SuspendMode;
import dev.somnus.api.suspend.SuspendProvider;
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
 * The services of one provider bundle: one {@link SuspendProvider} per mode, each probed before it
 * is registered (so its first properties are a real answer), then again on the configured interval
 * on a thread of its own, and whenever a consumer calls {@link SuspendProvider#probe()}. A provider
 * component creates this in its activate method and closes it in deactivate.
 */
public final class ProviderRegistrations implements AutoCloseable {

    private final List<PublishedProvider> providers = new ArrayList<>();
    private final List<ServiceRegistration<SuspendProvider>> registrations = new ArrayList<>();
    private final ScheduledExecutorService scheduler;
    private ScheduledFuture<?> intervalProbes;

    private ProviderRegistrations(ProviderSettings settings) {
        scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "somnus-suspend-" + settings.provider() + "-probe");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Probes and registers one service per entry of {@code methods}, and starts the interval probes.
     */
    public static ProviderRegistrations register(BundleContext context, ProviderSettings settings,
            Map<SuspendMode, SuspendMethod> methods, Logger logger) {
        ProviderRegistrations result = new ProviderRegistrations(settings);
        try {
            for (Map.Entry<SuspendMode, SuspendMethod> entry : methods.entrySet()) {
                result.providers.add(result.publish(context, entry.getKey(), entry.getValue(), settings, logger));
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
    public synchronized void reconfigure(ProviderSettings settings, Map<SuspendMode, SuspendMethod> methods) {
        for (PublishedProvider provider : providers) {
            SuspendMethod method = methods.get(provider.mode());
            if (method != null) {
                provider.reconfigure(settings, method);
            }
        }
        scheduleProbes(settings);
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

    private PublishedProvider publish(BundleContext context, SuspendMode mode, SuspendMethod method,
            ProviderSettings settings, Logger logger) {
        PublishedProvider provider = new PublishedProvider(settings, mode, method);
        provider.probe();
        provider.publishWith(properties -> {
            ServiceRegistration<SuspendProvider> registration =
                    context.registerService(SuspendProvider.class, provider, properties);
            registrations.add(registration);
            return changed -> {
                logger.info("suspend provider {} for {} is now {}: {}", provider.provider(), mode.id(),
                        provider.availability().reason(), provider.availability().sentence());
                try {
                    registration.setProperties(changed);
                } catch (IllegalStateException alreadyUnregistered) {
                    // a probe finishing while the component deactivates; nothing left to update
                }
            };
        });
        logger.info("suspend provider {} for {} registered: {} ({})", provider.provider(), mode.id(),
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
        for (ServiceRegistration<SuspendProvider> registration : registrations) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework unregisters a stopping bundle's services itself
            }
        }
        registrations.clear();
    }
}
