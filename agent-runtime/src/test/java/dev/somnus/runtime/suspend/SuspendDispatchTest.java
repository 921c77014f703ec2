package dev.somnus.runtime.suspend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.somnus.api.suspend.SuspendMode;
import dev.somnus.api.suspend.SuspendOutcome;
import dev.somnus.suspend.common.Configs;
import dev.somnus.suspend.common.NoLogger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Order, fall-through and texts of the dispatch, with scripted providers. */
class SuspendDispatchTest {

    @TempDir
    Path empty;

    private final List<String> journal = new CopyOnWriteArrayList<>();
    private final ProviderSet set = new ProviderSet();

    private FakeProvider provider(String name, int rank, long id, boolean available) {
        FakeProvider provider = new FakeProvider(journal, name, SuspendMode.RAM, rank, id, available);
        provider.addTo(set);
        return provider;
    }

    private void suspend(Object... overrides) throws Exception {
        Object[] all = new Object[overrides.length + 4];
        all[0] = "procRoot";
        all[1] = empty.toString();
        all[2] = "sysRoot";
        all[3] = empty.toString();
        System.arraycopy(overrides, 0, all, 4, overrides.length);
        SuspendDispatch.suspend(SuspendMode.RAM, set, Configs.of(SuspendSettings.class, all), NoLogger.create());
    }

    @Test
    void theHighestRankedAvailableProviderActsAlone() throws Exception {
        provider("sysfs", 100, 1, true);
        provider("systemd", 300, 3, true);
        provider("pmutils", 200, 2, true);

        suspend();

        assertThat(journal).containsExactly("suspend systemd");
    }

    @Test
    void equalRanksGoToTheLowerServiceId() throws Exception {
        provider("second", 100, 8, true);
        provider("first", 100, 7, true);

        suspend();

        assertThat(journal).containsExactly("suspend first");
    }

    @Test
    void unavailableProvidersAreSkippedWhateverTheirBaseRank() throws Exception {
        provider("systemd", 300, 1, false);
        provider("sysfs", 100, 3, true);

        suspend();

        assertThat(journal).containsExactly("suspend sysfs");
    }

    @Test
    void failuresFallThroughInRankOrderAndAreAllNamed() {
        provider("systemd", 300, 1, true).outcome = SuspendOutcome.failed("action-failed", "no luck");
        provider("pmutils", 200, 2, true).thrown = new IllegalStateException("bug");
        provider("sysfs", 100, 3, true).outcome = SuspendOutcome.failed("write-failed", "suspend: cannot write");

        assertThatThrownBy(this::suspend).hasMessage("guest-suspend-ram failed with every available provider: "
                + "systemd: no luck; pmutils: act pmutils failed: java.lang.IllegalStateException: bug; "
                + "sysfs: suspend: cannot write");
        assertThat(journal).containsExactly("suspend systemd", "suspend pmutils", "suspend sysfs");
    }

    @Test
    void theFirstSuccessEndsTheRequest() throws Exception {
        provider("systemd", 300, 1, true).outcome = SuspendOutcome.failed("action-failed", "no luck");
        provider("pmutils", 200, 2, true);
        provider("sysfs", 100, 3, true);

        suspend();

        assertThat(journal).containsExactly("suspend systemd", "suspend pmutils");
    }

    @Test
    void noProviderAtAllIsNotSupported() {
        assertThatThrownBy(this::suspend).hasMessage("the requested suspend mode is not supported by the guest");
    }

    @Test
    void dryRunNamesTheFirstAvailableProviderAndActsNot() {
        provider("systemd", 300, 1, false);
        provider("pmutils", 200, 2, true);

        assertThatThrownBy(() -> suspend("dryRun", true)).hasMessage(
                "dry run: guest-suspend-ram would run provider pmutils: act pmutils; nothing was done "
                        + "(dryRun is set in dev.somnus.suspend)");
        assertThat(journal).noneMatch(line -> line.startsWith("suspend"));
    }

    @Test
    void onlyStaleAnswersAreProbed() {
        FakeProvider stale = provider("stale", 100, 1, true).probedAt(Instant.now().minusSeconds(60));
        FakeProvider fresh = provider("fresh", 200, 2, true);

        set.ranked(Optional.of(SuspendMode.RAM), Duration.ofSeconds(30));

        assertThat(stale.probes).isEqualTo(1);
        assertThat(fresh.probes).isZero();
    }

    @Test
    void theRegistryDecidesTheOrderAtTheMomentOfTheRequest() throws Exception {
        FakeProvider systemd = provider("systemd", 300, 1, true);
        provider("sysfs", 100, 2, true);
        systemd.answer(dev.somnus.api.suspend.Availability.unavailable("helper-refused", "changed its mind"));

        suspend();

        assertThat(journal).containsExactly("suspend sysfs");
    }

    @Test
    void aRemovedProviderIsNoLongerTried() throws Exception {
        FakeProvider systemd = provider("systemd", 300, 1, true);
        provider("sysfs", 100, 2, true);
        set.remove(systemd);

        suspend();

        assertThat(journal).containsExactly("suspend sysfs");
    }
}
