package dev.somnus.provider.common;

import dev.somnus.api.provider.Availability;
import dev.somnus.api.provider.Outcome;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** A {@link ProviderMethod} whose answers a test sets, counting probes and actions. */
public class ScriptedMethod implements ProviderMethod {

    public volatile Availability answer = Availability.available("scripted yes");
    public volatile Outcome outcome = Outcome.done("scripted done");
    public final AtomicInteger probes = new AtomicInteger();
    public final AtomicInteger actions = new AtomicInteger();
    private final String action;

    public ScriptedMethod(String action) {
        this.action = action;
    }

    @Override
    public Availability probe() {
        probes.incrementAndGet();
        return answer;
    }

    @Override
    public String action(Map<String, Object> request) {
        return action;
    }

    @Override
    public Outcome perform(Map<String, Object> request) {
        actions.incrementAndGet();
        return outcome;
    }
}
