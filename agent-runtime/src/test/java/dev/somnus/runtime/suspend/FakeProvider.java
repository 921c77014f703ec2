package dev.somnus.runtime.suspend;

import dev.somnus.api.suspend.Availability;
import dev.somnus.api.suspend.Reasons;
import dev.somnus.api.suspend.SuspendMode;
import dev.somnus.api.suspend.SuspendOutcome;
import dev.somnus.api.suspend.SuspendProvider;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.framework.Constants;

/** A SuspendProvider with scripted answers that keeps its own service properties, for order tests. */
final class FakeProvider implements SuspendProvider {

    final Map<String, Object> properties = new HashMap<>();
    final List<String> journal;
    final String name;
    final SuspendMode mode;
    final int baseRank;
    volatile Availability availability;
    volatile SuspendOutcome outcome;
    volatile RuntimeException thrown;
    int probes;

    FakeProvider(List<String> journal, String name, SuspendMode mode, int baseRank, long serviceId, boolean available) {
        this.journal = journal;
        this.name = name;
        this.mode = mode;
        this.baseRank = baseRank;
        this.outcome = SuspendOutcome.done(name + " done");
        properties.put(Constants.SERVICE_ID, serviceId);
        properties.put(MODE, mode.id());
        properties.put(PROVIDER, name);
        answer(available ? Availability.available(name + " says yes")
                : Availability.unavailable(Reasons.HELPER_REFUSED, name + " says no"));
    }

    FakeProvider(String name, int baseRank, long serviceId, boolean available) {
        this(new CopyOnWriteArrayList<>(), name, SuspendMode.RAM, baseRank, serviceId, available);
    }

    /** Sets the answer and republishes, as a real provider's probe would. */
    void answer(Availability answer) {
        availability = answer;
        properties.put(AVAILABLE, answer.available());
        properties.put(REASON, answer.reason());
        properties.put(Constants.SERVICE_RANKING, answer.available() ? baseRank : baseRank - UNAVAILABLE_PENALTY);
    }

    FakeProvider probedAt(Instant when) {
        availability = new Availability(availability.available(), availability.reason(), availability.sentence(), when);
        return this;
    }

    void addTo(ProviderSet set) {
        set.add(this, properties::get);
    }

    @Override
    public String provider() {
        return name;
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
        probes++;
        journal.add("probe " + name);
        answer(new Availability(availability.available(), availability.reason(), availability.sentence(), Instant.now()));
        return availability;
    }

    @Override
    public String action() {
        return "act " + name;
    }

    @Override
    public SuspendOutcome suspend() {
        journal.add("suspend " + name);
        if (thrown != null) {
            throw thrown;
        }
        return outcome;
    }
}
