package dev.somnus.provider.common;

import java.time.Duration;
import java.util.Objects;

/**
 * What every provider's configuration holds besides its own paths and programs.
 *
 * @param provider the provider's name, published as {@code somnus.provider.name}
 * @param enabled false to publish every mode as unavailable ({@code disabled}) without probing
 * @param baseRank the {@code service.ranking} while available
 * @param probeInterval how often to probe again; zero or negative for never (activation, a changed
 *        input and on-demand probes still happen)
 */
public record ProviderSettings(String provider, boolean enabled, int baseRank, Duration probeInterval) {

    public ProviderSettings {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(probeInterval, "probeInterval");
    }
}
