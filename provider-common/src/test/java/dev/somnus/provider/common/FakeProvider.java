package dev.somnus.provider.common;

import dev.somnus.api.provider.Availability;
import dev.somnus.api.provider.Outcome;
import dev.somnus.api.provider.Provider;
import dev.somnus.api.provider.Reasons;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.framework.Constants;

/** A Provider with scripted answers that keeps its own service properties, for order tests. */
public final class FakeProvider implements Provider {

    public final Map<String, Object> properties = new HashMap<>();
    public final List<String> journal;
    public final String name;
    public final String family;
    public final String mode;
    public final int baseRank;
    public volatile Availability availability;
    public volatile Outcome outcome;
    public volatile RuntimeException thrown;
    public int probes;

    public FakeProvider(List<String> journal, String name, String family, String mode, int baseRank, long serviceId,
            boolean available) {
        this.journal = journal;
        this.name = name;
        this.family = family;
        this.mode = mode;
        this.baseRank = baseRank;
        this.outcome = Outcome.done(name + " done");
        properties.put(Constants.SERVICE_ID, serviceId);
        properties.put(FAMILY, family);
        properties.put(MODE, mode);
        properties.put(NAME, name);
        answer(available ? Availability.available(name + " says yes")
                : Availability.unavailable(Reasons.HELPER_REFUSED, name + " says no"));
    }

    public FakeProvider(String name, int baseRank, long serviceId, boolean available) {
        this(new CopyOnWriteArrayList<>(), name, "suspend", "ram", baseRank, serviceId, available);
    }

    /** Sets the answer and republishes, as a real provider's probe would. */
    public void answer(Availability answer) {
        availability = answer;
        properties.put(AVAILABLE, answer.available());
        properties.put(REASON, answer.reason());
        properties.put(Constants.SERVICE_RANKING, answer.available() ? baseRank : baseRank - UNAVAILABLE_PENALTY);
    }

    public FakeProvider probedAt(Instant when) {
        availability = new Availability(availability.available(), availability.reason(), availability.sentence(), when);
        return this;
    }

    public void addTo(RankedProviders set) {
        set.add(this, properties::get);
    }

    @Override
    public String name() {
        return name;
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
        return availability;
    }

    @Override
    public Availability probe() {
        probes++;
        journal.add("probe " + name);
        answer(new Availability(availability.available(), availability.reason(), availability.sentence(), Instant.now()));
        return availability;
    }

    @Override
    public String action(Map<String, Object> request) {
        return "act " + name + (request.isEmpty() ? "" : " " + request);
    }

    @Override
    public Outcome perform(Map<String, Object> request) {
        journal.add("perform " + name + (request.isEmpty() ? "" : " " + request));
        if (thrown != null) {
            throw thrown;
        }
        return outcome;
    }
}
