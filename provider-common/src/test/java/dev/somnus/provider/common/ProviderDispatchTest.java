package dev.somnus.provider.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.somnus.api.command.CommandException;
import dev.somnus.api.provider.Availability;
import dev.somnus.api.provider.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Order, fall-through and texts of the generic dispatch, with scripted providers of a made-up family. */
class ProviderDispatchTest {

    private final List<String> journal = new CopyOnWriteArrayList<>();
    private final RankedProviders set = new RankedProviders();
    private String diagnostics = "";
    private final ProviderDispatch dispatch = new ProviderDispatch("guest-set-time", "clock", "set", set,
            "the clock cannot be set", () -> diagnostics, NoLogger.create());

    private FakeProvider provider(String name, String mode, int rank, long id, boolean available) {
        FakeProvider provider = new FakeProvider(journal, name, "clock", mode, rank, id, available);
        provider.addTo(set);
        return provider;
    }

    private FakeProvider provider(String name, int rank, long id, boolean available) {
        return provider(name, "set", rank, id, available);
    }

    @Test
    void theHighestRankedAvailableProviderOfTheModeActsAloneWithTheRequest() throws Exception {
        provider("hwclock", 100, 1, true);
        provider("timedatectl", 300, 3, true);
        provider("other-mode", "get", 900, 4, true);

        Outcome outcome = dispatch.perform(Map.of("time", 42L), Duration.ofSeconds(30));

        assertThat(journal).containsExactly("perform timedatectl {time=42}");
        assertThat(outcome.sentence()).isEqualTo("timedatectl done");
    }

    @Test
    void equalRanksGoToTheLowerServiceIdAndUnavailableOnesAreSkipped() throws Exception {
        provider("second", 100, 8, true);
        provider("first", 100, 7, true);
        provider("best-but-unavailable", 300, 1, false);

        dispatch.perform(Map.of(), Duration.ofSeconds(30));

        assertThat(journal).containsExactly("perform first");
    }

    @Test
    void failuresFallThroughInRankOrderAndAreAllNamedWithTheFamilysDiagnostics() {
        provider("a", 300, 1, true).outcome = Outcome.failed("action-failed", "no luck");
        provider("b", 200, 2, true).thrown = new IllegalStateException("bug");
        provider("c", 100, 3, true).outcome = Outcome.failed("write-failed", "cannot write");
        diagnostics = "rtc: /dev/rtc0 is missing";

        assertThatThrownBy(() -> dispatch.perform(Map.of(), Duration.ofSeconds(30))).isInstanceOf(CommandException.class)
                .hasMessage("guest-set-time failed with every available provider: a: no luck; "
                        + "b: act b failed: java.lang.IllegalStateException: bug; c: cannot write "
                        + "(rtc: /dev/rtc0 is missing)");
        assertThat(journal).containsExactly("perform a", "perform b", "perform c");
    }

    @Test
    void theFirstSuccessEndsTheRequest() throws Exception {
        provider("a", 300, 1, true).outcome = Outcome.failed("action-failed", "no luck");
        provider("b", 200, 2, true);
        provider("c", 100, 3, true);

        dispatch.perform(Map.of(), Duration.ofSeconds(30));

        assertThat(journal).containsExactly("perform a", "perform b");
    }

    @Test
    void noProviderAvailableIsTheFamilysNotSupportedText() {
        provider("a", 300, 1, false);

        assertThatThrownBy(() -> dispatch.perform(Map.of(), Duration.ofSeconds(30)))
                .hasMessage("the clock cannot be set");
        assertThatThrownBy(() -> dispatch.explain(Map.of(), Duration.ofSeconds(30)))
                .hasMessage("the clock cannot be set");
        assertThat(journal).noneMatch(line -> line.startsWith("perform"));
    }

    @Test
    void explainNamesTheFirstAvailableProviderAndItsActionAndActsNot() throws Exception {
        provider("a", 300, 1, false);
        provider("b", 200, 2, true);

        assertThat(dispatch.explain(Map.of("time", 7L), Duration.ofSeconds(30)))
                .isEqualTo("run provider b: act b {time=7}");
        assertThat(journal).noneMatch(line -> line.startsWith("perform"));
    }

    @Test
    void onlyOldAnswersAreProbed() {
        FakeProvider old = provider("old", 100, 1, true).probedAt(Instant.now().minusSeconds(60));
        FakeProvider fresh = provider("fresh", 200, 2, true);

        set.ranked(Optional.of("set"), Duration.ofSeconds(30));

        assertThat(old.probes).isEqualTo(1);
        assertThat(fresh.probes).isZero();
    }

    @Test
    void theRegistryDecidesTheOrderAtTheMomentOfTheRequest() throws Exception {
        FakeProvider a = provider("a", 300, 1, true);
        provider("b", 100, 2, true);
        a.answer(Availability.unavailable("helper-refused", "changed its mind"));

        dispatch.perform(Map.of(), Duration.ofSeconds(30));

        assertThat(journal).containsExactly("perform b");
    }

    @Test
    void aRemovedProviderIsNoLongerTried() throws Exception {
        FakeProvider a = provider("a", 300, 1, true);
        provider("b", 100, 2, true);
        set.remove(a);

        dispatch.perform(Map.of(), Duration.ofSeconds(30));

        assertThat(journal).containsExactly("perform b");
    }
}
