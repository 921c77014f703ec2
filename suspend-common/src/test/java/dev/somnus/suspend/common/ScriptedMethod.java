package dev.somnus.suspend.common;

import dev.somnus.api.suspend.Availability;
import dev.somnus.api.suspend.SuspendOutcome;
import java.util.concurrent.atomic.AtomicInteger;

/** A {@link SuspendMethod} whose answers a test sets, counting probes and actions. */
public class ScriptedMethod implements SuspendMethod {

    public volatile Availability answer = Availability.available("scripted yes");
    public volatile SuspendOutcome outcome = SuspendOutcome.done("scripted done");
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
    public String action() {
        return action;
    }

    @Override
    public SuspendOutcome perform() {
        actions.incrementAndGet();
        return outcome;
    }
}
