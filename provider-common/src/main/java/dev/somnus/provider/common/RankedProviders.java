package dev.somnus.provider.common;

import dev.somnus.api.provider.Availability;
import dev.somnus.api.provider.Provider;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;

/**
 * The {@link Provider} services a command component is bound to (the consumer side), with a live
 * view of each one's service properties (normally {@code ServiceReference::getProperty}), so
 * availability and ranking are read from the registry at the moment of a request, never polled.
 * The component's dynamic reference hands its bind and unbind calls here. Thread-safe.
 */
public final class RankedProviders {

    /** One provider as the registry ranks it. */
    public record Ranked(Provider provider, int ranking, long serviceId, boolean available,
            Availability availability) {

        public String name() {
            return provider.name();
        }
    }

    /** Highest {@code service.ranking} first; on equal ranking the lower {@code service.id} first. */
    public static final Comparator<Ranked> ORDER = Comparator.comparingInt(Ranked::ranking).reversed()
            .thenComparingLong(Ranked::serviceId);

    private final Map<Provider, Function<String, Object>> providers = new ConcurrentHashMap<>();

    /** A bound provider; its properties are read through {@code properties} whenever they are needed. */
    public void add(Provider provider, Function<String, Object> properties) {
        providers.put(provider, properties);
    }

    /** A bound provider with its reference, the usual bind call of a DS component. */
    public void add(Provider provider, ServiceReference<?> reference) {
        add(provider, reference::getProperty);
    }

    public void remove(Provider provider) {
        providers.remove(provider);
    }

    /** True when no provider is bound. */
    public boolean isEmpty() {
        return providers.isEmpty();
    }

    /**
     * The providers of {@code mode} (all of them when empty), in dispatch order, after probing
     * each one whose answer is older than {@code staleAfter}. Answers a provider knows to be stale
     * are refreshed by the provider itself ({@link Provider#availability()}). A probe republishes
     * the provider's properties, so they are read afterwards.
     */
    public List<Ranked> ranked(Optional<String> mode, Duration staleAfter) {
        return collect(mode, staleAfter);
    }

    /** The providers as they stand, without probing answers that are merely old. */
    public List<Ranked> current(Optional<String> mode) {
        return collect(mode, null);
    }

    private List<Ranked> collect(Optional<String> mode, Duration staleAfter) {
        Instant now = Instant.now();
        List<Ranked> result = new ArrayList<>();
        for (Map.Entry<Provider, Function<String, Object>> entry : providers.entrySet()) {
            Provider provider = entry.getKey();
            Function<String, Object> properties = entry.getValue();
            if (mode.isPresent() && !mode.get().equals(properties.apply(Provider.MODE))) {
                continue;
            }
            Availability answer;
            try {
                answer = provider.availability();
                if (staleAfter != null && !answer.probedAt().plus(staleAfter).isAfter(now)) {
                    answer = provider.probe();
                }
            } catch (RuntimeException e) {
                // a broken provider keeps its last published answer; its own probe reports why
                answer = null;
            }
            result.add(ranked(provider, properties, answer));
        }
        result.sort(ORDER);
        return result;
    }

    private static Ranked ranked(Provider provider, Function<String, Object> properties, Availability answer) {
        Object ranking = properties.apply(Constants.SERVICE_RANKING);
        Object id = properties.apply(Constants.SERVICE_ID);
        return new Ranked(provider, ranking instanceof Integer ? (Integer) ranking : 0,
                id instanceof Long ? (Long) id : Long.MAX_VALUE,
                Boolean.TRUE.equals(properties.apply(Provider.AVAILABLE)),
                answer != null ? answer : provider.availability());
    }
}
