package dev.somnus.suspend.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.somnus.api.suspend.Availability;
import dev.somnus.api.suspend.Reasons;
import dev.somnus.api.suspend.SuspendMode;
import dev.somnus.api.suspend.SuspendOutcome;
import dev.somnus.api.suspend.SuspendProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Constants;

class PublishedProviderTest {

    private final ScriptedMethod method = new ScriptedMethod("exec pm-hibernate");
    private final List<Dictionary<String, Object>> published = new ArrayList<>();

    private PublishedProvider provider(boolean enabled) {
        PublishedProvider provider = new PublishedProvider(
                new ProviderSettings("pmutils", enabled, 200, Duration.ZERO), SuspendMode.DISK, method);
        provider.publishWith(initial -> {
            published.add(initial);
            return published::add;
        });
        return provider;
    }

    @Test
    void beforeTheFirstProbeTheProviderIsNotProbedAndRankedDown() {
        PublishedProvider provider = provider(true);

        Dictionary<String, Object> first = published.get(0);
        assertThat(first.get(SuspendProvider.PROVIDER)).isEqualTo("pmutils");
        assertThat(first.get(SuspendProvider.MODE)).isEqualTo("disk");
        assertThat(first.get(SuspendProvider.AVAILABLE)).isEqualTo(false);
        assertThat(first.get(SuspendProvider.REASON)).isEqualTo(Reasons.NOT_PROBED);
        assertThat(first.get(Constants.SERVICE_RANKING)).isEqualTo(200 - SuspendProvider.UNAVAILABLE_PENALTY);
        assertThat(provider.availability().probedAt()).isBefore(java.time.Instant.now().minusSeconds(3600));
    }

    @Test
    void anAvailableAnswerIsPublishedWithTheBaseRank() {
        PublishedProvider provider = provider(true);

        Availability answer = provider.probe();

        assertThat(answer.available()).isTrue();
        assertThat(published).hasSize(2);
        assertThat(published.get(1).get(SuspendProvider.AVAILABLE)).isEqualTo(true);
        assertThat(published.get(1).get(SuspendProvider.REASON)).isEqualTo(Reasons.SUPPORTED);
        assertThat(published.get(1).get(Constants.SERVICE_RANKING)).isEqualTo(200);
    }

    @Test
    void propertiesAreRepublishedOnlyWhenAvailabilityOrReasonChanges() {
        PublishedProvider provider = provider(true);
        provider.probe();
        provider.probe();
        assertThat(published).hasSize(2);

        method.answer = Availability.unavailable(Reasons.HELPER_REFUSED, "'pm-is-supported --hibernate' exited with status 1");
        provider.probe();
        assertThat(published).hasSize(3);
        assertThat(published.get(2).get(SuspendProvider.REASON)).isEqualTo(Reasons.HELPER_REFUSED);
        assertThat(published.get(2).get(Constants.SERVICE_RANKING)).isEqualTo(200 - SuspendProvider.UNAVAILABLE_PENALTY);

        method.answer = Availability.unavailable(Reasons.HELPER_MISSING, "gone");
        provider.probe();
        assertThat(published).hasSize(4);
        assertThat(published.get(3).get(SuspendProvider.REASON)).isEqualTo(Reasons.HELPER_MISSING);
    }

    @Test
    void aProbeThatThrowsIsAFailedProbeNotACrash() {
        PublishedProvider provider = new PublishedProvider(new ProviderSettings("x", true, 1, Duration.ZERO),
                SuspendMode.RAM, new ScriptedMethod("a") {
                    @Override
                    public Availability probe() {
                        throw new IllegalStateException("boom");
                    }
                });

        Availability answer = provider.probe();

        assertThat(answer.available()).isFalse();
        assertThat(answer.reason()).isEqualTo(Reasons.PROBE_FAILED);
        assertThat(answer.sentence()).contains("boom");
    }

    @Test
    void anInterruptedProbeKeepsTheLastAnswer() {
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        PublishedProvider provider = new PublishedProvider(new ProviderSettings("x", true, 1, Duration.ZERO),
                SuspendMode.RAM, new ScriptedMethod("a") {
                    @Override
                    public Availability probe() {
                        if (calls.incrementAndGet() > 1) {
                            throw sneaky(new InterruptedException());
                        }
                        return answer;
                    }
                });
        Availability first = provider.probe();

        Availability second = provider.probe();

        assertThat(second).isSameAs(first);
        assertThat(Thread.interrupted()).as("interrupt status restored").isTrue();
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> RuntimeException sneaky(Throwable t) throws T {
        throw (T) t;
    }

    @Test
    void aDisabledProviderNeverProbesNorActs() throws Exception {
        PublishedProvider provider = provider(false);

        assertThat(provider.probe().reason()).isEqualTo(Reasons.DISABLED);
        SuspendOutcome outcome = provider.suspend();

        assertThat(method.probes.get()).isZero();
        assertThat(method.actions.get()).isZero();
        assertThat(outcome.done()).isFalse();
        assertThat(outcome.reason()).isEqualTo(Reasons.DISABLED);
        assertThat(published.get(0).get(SuspendProvider.REASON)).isEqualTo(Reasons.DISABLED);
        assertThat(published.get(0).get(Constants.SERVICE_RANKING)).isEqualTo(200 - SuspendProvider.UNAVAILABLE_PENALTY);
    }

    @Test
    void suspendReturnsTheMethodsOutcomeAndTurnsExceptionsIntoFailures() throws Exception {
        PublishedProvider provider = provider(true);
        method.outcome = SuspendOutcome.failed("action-failed", "'pm-hibernate' exited with status 1");
        assertThat(provider.suspend().sentence()).isEqualTo("'pm-hibernate' exited with status 1");

        PublishedProvider throwing = new PublishedProvider(new ProviderSettings("x", true, 1, Duration.ZERO),
                SuspendMode.RAM, new ScriptedMethod("write \"mem\" to /x") {
                    @Override
                    public SuspendOutcome perform() {
                        throw new IllegalStateException("kaputt");
                    }
                });
        SuspendOutcome outcome = throwing.suspend();
        assertThat(outcome.done()).isFalse();
        assertThat(outcome.sentence()).contains("write \"mem\" to /x").contains("kaputt");
    }
}
