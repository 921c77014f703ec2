package dev.somnus.provider.common;

import dev.somnus.api.provider.Availability;
import dev.somnus.api.provider.Outcome;
import java.util.Map;

/**
 * How one provider probes, names and performs one mode: the only part a provider bundle writes.
 * {@link PublishedProvider} adds the caching, the staleness, the service properties and the
 * ranking around it. No method throws for an ordinary failure; each answers with the reason and
 * the evidence.
 */
public interface ProviderMethod {

    /** Finds out now whether the mode could be performed. */
    Availability probe() throws InterruptedException;

    /**
     * The exact action {@link #perform(Map)} takes for this request, e.g. {@code exec pm-hibernate}.
     *
     * @param request the command's validated arguments (empty for suspend)
     */
    String action(Map<String, Object> request);

    /** Performs the action; blocks until it returns (for a suspend: mostly after resume). */
    Outcome perform(Map<String, Object> request) throws InterruptedException;
}
