package dev.somnus.runtime.suspend;

import dev.somnus.api.suspend.Availability;
import dev.somnus.api.suspend.SuspendMode;
import dev.somnus.api.suspend.SuspendProvider;
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

/**
 * The SuspendProvider services a component is bound to, with a live view of each one's service
 * properties (normally {@code ServiceReference::getProperty}), so availability and ranking are read
 * from the registry at the moment of a request, never polled. Thread-safe.
 */
final class ProviderSet {

    /** One provider as the registry ranks it. */
    record Ranked(SuspendProvider provider, int ranking, long serviceId, boolean available, Availability availability) {

        String name() {
            return provider.provider();
        }
    }

    /** Highest {@code service.ranking} first; on equal ranking the lower {@code service.id} first. */
    static final Comparator<Ranked> ORDER = Comparator.comparingInt(Ranked::ranking).reversed()
            .thenComparingLong(Ranked::serviceId);

    private final Map<SuspendProvider, Function<String, Object>> providers = new ConcurrentHashMap<>();

    void add(SuspendProvider provider, Function<String, Object> properties) {
        providers.put(provider, properties);
    }

    void remove(SuspendProvider provider) {
        providers.remove(provider);
    }

    /**
     * The providers of {@code mode} (all of them when empty), in dispatch order, after probing
     * each one whose answer is older than {@code staleAfter}. A probe republishes the provider's
     * properties, so they are read afterwards.
     */
    List<Ranked> ranked(Optional<SuspendMode> mode, Duration staleAfter) {
        return collect(mode, staleAfter);
    }

    /** The providers as they stand, without probing. */
    List<Ranked> current(Optional<SuspendMode> mode) {
        return collect(mode, null);
    }

    private List<Ranked> collect(Optional<SuspendMode> mode, Duration staleAfter) {
        Instant now = Instant.now();
        List<Ranked> result = new ArrayList<>();
        for (Map.Entry<SuspendProvider, Function<String, Object>> entry : providers.entrySet()) {
            SuspendProvider provider = entry.getKey();
            Function<String, Object> properties = entry.getValue();
            if (mode.isPresent() && !mode.get().id().equals(properties.apply(SuspendProvider.MODE))) {
                continue;
            }
            if (staleAfter != null && !provider.availability().probedAt().plus(staleAfter).isAfter(now)) {
                try {
                    provider.probe();
                } catch (RuntimeException e) {
                    // a broken provider keeps its last published answer; its own probe reports why
                }
            }
            result.add(ranked(provider, properties));
        }
        result.sort(ORDER);
        return result;
    }

    private static Ranked ranked(SuspendProvider provider, Function<String, Object> properties) {
        Object ranking = properties.apply(Constants.SERVICE_RANKING);
        Object id = properties.apply(Constants.SERVICE_ID);
        return new Ranked(provider, ranking instanceof Integer ? (Integer) ranking : 0,
                id instanceof Long ? (Long) id : Long.MAX_VALUE,
                Boolean.TRUE.equals(properties.apply(SuspendProvider.AVAILABLE)), provider.availability());
    }
}
