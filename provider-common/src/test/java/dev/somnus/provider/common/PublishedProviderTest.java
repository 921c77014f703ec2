package dev.somnus.provider.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.somnus.api.provider.Availability;
import dev.somnus.api.provider.Outcome;
import dev.somnus.api.provider.Provider;
import dev.somnus.api.provider.Reasons;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Constants;

class PublishedProviderTest {

    private final ScriptedMethod method = new ScriptedMethod("exec pm-hibernate");
    private final List<Dictionary<String, Object>> published = new ArrayList<>();

    private PublishedProvider provider(boolean enabled) {
        PublishedProvider provider = new PublishedProvider("suspend", "disk",
                new ProviderSettings("pmutils", enabled, 200, Duration.ZERO), method);
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
        assertThat(first.get(Provider.NAME)).isEqualTo("pmutils");
        assertThat(first.get(Provider.MODE)).isEqualTo("disk");
        assertThat(first.get(Provider.AVAILABLE)).isEqualTo(false);
        assertThat(first.get(Provider.REASON)).isEqualTo(Reasons.NOT_PROBED);
        assertThat(first.get(Constants.SERVICE_RANKING)).isEqualTo(200 - Provider.UNAVAILABLE_PENALTY);
        assertThat(provider.availability().probedAt()).isBefore(java.time.Instant.now().minusSeconds(3600));
    }

    @Test
    void anAvailableAnswerIsPublishedWithTheBaseRank() {
        PublishedProvider provider = provider(true);

        Availability answer = provider.probe();

        assertThat(answer.available()).isTrue();
        assertThat(published).hasSize(2);
        assertThat(published.get(1).get(Provider.AVAILABLE)).isEqualTo(true);
        assertThat(published.get(1).get(Provider.REASON)).isEqualTo(Reasons.SUPPORTED);
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
        assertThat(published.get(2).get(Provider.REASON)).isEqualTo(Reasons.HELPER_REFUSED);
        assertThat(published.get(2).get(Constants.SERVICE_RANKING)).isEqualTo(200 - Provider.UNAVAILABLE_PENALTY);

        method.answer = Availability.unavailable(Reasons.HELPER_MISSING, "gone");
        provider.probe();
        assertThat(published).hasSize(4);
        assertThat(published.get(3).get(Provider.REASON)).isEqualTo(Reasons.HELPER_MISSING);
    }

    @Test
    void aProbeThatThrowsIsAFailedProbeNotACrash() {
        PublishedProvider provider = new PublishedProvider("suspend", "ram",
                new ProviderSettings("x", true, 1, Duration.ZERO), new ScriptedMethod("a") {
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
        PublishedProvider provider = new PublishedProvider("suspend", "ram",
                new ProviderSettings("x", true, 1, Duration.ZERO), new ScriptedMethod("a") {
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
        Outcome outcome = provider.perform(Map.of());

        assertThat(method.probes.get()).isZero();
        assertThat(method.actions.get()).isZero();
        assertThat(outcome.done()).isFalse();
        assertThat(outcome.reason()).isEqualTo(Reasons.DISABLED);
        assertThat(published.get(0).get(Provider.REASON)).isEqualTo(Reasons.DISABLED);
        assertThat(published.get(0).get(Constants.SERVICE_RANKING)).isEqualTo(200 - Provider.UNAVAILABLE_PENALTY);
    }

    @Test
    void suspendReturnsTheMethodsOutcomeAndTurnsExceptionsIntoFailures() throws Exception {
        PublishedProvider provider = provider(true);
        method.outcome = Outcome.failed("action-failed", "'pm-hibernate' exited with status 1");
        assertThat(provider.perform(Map.of()).sentence()).isEqualTo("'pm-hibernate' exited with status 1");

        PublishedProvider throwing = new PublishedProvider("suspend", "ram",

                new ProviderSettings("x", true, 1, Duration.ZERO), new ScriptedMethod("write \"mem\" to /x") {
                    @Override
                    public Outcome perform(Map<String, Object> request) {
                        throw new IllegalStateException("kaputt");
                    }
                });
        Outcome outcome = throwing.perform(Map.of());
        assertThat(outcome.done()).isFalse();
        assertThat(outcome.sentence()).contains("write \"mem\" to /x").contains("kaputt");
    }

    @Test
    void aWithdrawnProviderActsNoMoreAndAnActionCutShortIsReportedAsStopped() throws Exception {
        PublishedProvider provider = provider(true);
        PublishedProvider[] self = {null};
        PublishedProvider cutShort = new PublishedProvider("suspend", "disk",
                new ProviderSettings("pmutils", true, 200, Duration.ZERO), new ScriptedMethod("exec pm-hibernate") {
                    @Override
                    public Outcome perform(Map<String, Object> request) {
                        // the component deactivates while the helper runs, and its helper is killed
                        self[0].withdraw();
                        return Outcome.failed("action-killed", "'pm-hibernate' was killed by signal 15");
                    }
                });
        self[0] = cutShort;

        Outcome stopped = cutShort.perform(Map.of());
        provider.withdraw();
        Outcome refused = provider.perform(Map.of());

        assertThat(stopped.reason()).isEqualTo(PublishedProvider.STOPPED);
        assertThat(stopped.sentence()).isEqualTo("the pmutils provider was stopped while it ran exec pm-hibernate: "
                + "'pm-hibernate' was killed by signal 15");
        assertThat(refused.reason()).isEqualTo(PublishedProvider.STOPPED);
        assertThat(refused.sentence()).isEqualTo("the pmutils provider has been stopped");
        assertThat(method.actions.get()).isZero();
    }

    @Test
    void anAnswerKnownToBeStaleIsNeverGivenOut() {
        PublishedProvider provider = provider(true);
        provider.probe();
        method.answer = Availability.unavailable(Reasons.HELPER_MISSING, "'pm-is-supported' could not be run");
        assertThat(provider.availability().available()).as("nothing changed yet: the cached answer").isTrue();
        assertThat(method.probes.get()).isEqualTo(1);

        provider.inputsChanged();

        assertThat(provider.stale()).isTrue();
        Availability answer = provider.availability();
        assertThat(answer.reason()).isEqualTo(Reasons.HELPER_MISSING);
        assertThat(method.probes.get()).isEqualTo(2);
        assertThat(published.get(published.size() - 1).get(Provider.REASON)).isEqualTo(Reasons.HELPER_MISSING);
        assertThat(provider.stale()).isFalse();
        provider.availability();
        assertThat(method.probes.get()).as("fresh again: no further probe").isEqualTo(2);
    }

    @Test
    void aProbeThatStartedBeforeTheChangeDoesNotMakeTheAnswerFresh() throws Exception {
        java.util.concurrent.CountDownLatch probing = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        PublishedProvider provider = new PublishedProvider("suspend", "disk",
                new ProviderSettings("pmutils", true, 200, Duration.ZERO), new ScriptedMethod("exec pm-hibernate") {
                    @Override
                    public Availability probe() {
                        if (calls.incrementAndGet() == 1) {
                            probing.countDown();
                            try {
                                release.await();
                            } catch (InterruptedException e) {
                                throw new IllegalStateException(e);
                            }
                            return Availability.unavailable(Reasons.HELPER_MISSING, "old evidence");
                        }
                        return Availability.available("new evidence");
                    }
                });
        Thread early = new Thread(provider::probe);
        early.start();
        probing.await();

        provider.inputsChanged();
        release.countDown();
        early.join();

        assertThat(provider.availability().sentence()).isEqualTo("new evidence");
        assertThat(calls.get()).isEqualTo(2);
    }
}
