package dev.somnus.suspend.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.somnus.api.provider.Availability;
import dev.somnus.api.provider.Outcome;
import dev.somnus.api.suspend.SuspendMode;
import dev.somnus.provider.common.Configs;
import dev.somnus.provider.common.FakeProvider;
import dev.somnus.provider.common.NoLogger;
import dev.somnus.provider.common.RankedProviders;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Order, fall-through and texts of a suspend command's dispatch, with scripted providers. */
class SuspendDispatchTest {

    @TempDir
    Path empty;

    private final List<String> journal = new CopyOnWriteArrayList<>();
    private final RankedProviders set = new RankedProviders();
    private SuspendCommand ram;

    @BeforeEach
    void command() {
        ram = new SuspendCommand(Configs.of(SuspendCommand.Instance.class, "mode", "ram"),
                Configs.of(SuspendSettings.class, "procRoot", empty.toString(), "sysRoot", empty.toString()),
                NoLogger.create());
    }

    private FakeProvider provider(String name, int rank, long id, boolean available) {
        FakeProvider provider = new FakeProvider(journal, name, SuspendMode.FAMILY, "ram", rank, id, available);
        provider.addTo(set);
        ram.addProvider(provider, FakeReference.of(provider.properties::get));
        return provider;
    }

    private void suspend() throws Exception {
        ram.execute(Map.of());
    }

    @Test
    void theHighestRankedAvailableProviderActsAlone() throws Exception {
        provider("sysfs", 100, 1, true);
        provider("systemd", 300, 3, true);
        provider("pmutils", 200, 2, true);

        suspend();

        assertThat(journal).containsExactly("perform systemd");
    }

    @Test
    void equalRanksGoToTheLowerServiceId() throws Exception {
        provider("second", 100, 8, true);
        provider("first", 100, 7, true);

        suspend();

        assertThat(journal).containsExactly("perform first");
    }

    @Test
    void unavailableProvidersAreSkippedWhateverTheirBaseRank() throws Exception {
        provider("systemd", 300, 1, false);
        provider("sysfs", 100, 3, true);

        suspend();

        assertThat(journal).containsExactly("perform sysfs");
    }

    @Test
    void failuresFallThroughInRankOrderAndAreAllNamed() {
        provider("systemd", 300, 1, true).outcome = Outcome.failed("action-failed", "no luck");
        provider("pmutils", 200, 2, true).thrown = new IllegalStateException("bug");
        provider("sysfs", 100, 3, true).outcome = Outcome.failed("write-failed", "suspend: cannot write");

        assertThatThrownBy(this::suspend).hasMessage("guest-suspend-ram failed with every available provider: "
                + "systemd: no luck; pmutils: act pmutils failed: java.lang.IllegalStateException: bug; "
                + "sysfs: suspend: cannot write");
        assertThat(journal).containsExactly("perform systemd", "perform pmutils", "perform sysfs");
    }

    @Test
    void theFirstSuccessEndsTheRequest() throws Exception {
        provider("systemd", 300, 1, true).outcome = Outcome.failed("action-failed", "no luck");
        provider("pmutils", 200, 2, true);
        provider("sysfs", 100, 3, true);

        suspend();

        assertThat(journal).containsExactly("perform systemd", "perform pmutils");
    }

    @Test
    void noProviderAtAllIsNotSupported() {
        assertThatThrownBy(this::suspend).hasMessage("the requested suspend mode is not supported by the guest");
    }

    @Test
    void explainNamesTheFirstAvailableProviderAndActsNot() throws Exception {
        provider("systemd", 300, 1, false);
        provider("pmutils", 200, 2, true);

        assertThat(ram.explain(Map.of())).isEqualTo("run provider pmutils: act pmutils");
        assertThat(journal).noneMatch(line -> line.startsWith("perform"));
    }

    @Test
    void onlyStaleAnswersAreProbed() {
        FakeProvider stale = provider("stale", 100, 1, true).probedAt(Instant.now().minusSeconds(60));
        FakeProvider fresh = provider("fresh", 200, 2, true);

        set.ranked(Optional.of("ram"), Duration.ofSeconds(30));

        assertThat(stale.probes).isEqualTo(1);
        assertThat(fresh.probes).isZero();
    }

    @Test
    void theRegistryDecidesTheOrderAtTheMomentOfTheRequest() throws Exception {
        FakeProvider systemd = provider("systemd", 300, 1, true);
        provider("sysfs", 100, 2, true);
        systemd.answer(Availability.unavailable("helper-refused", "changed its mind"));

        suspend();

        assertThat(journal).containsExactly("perform sysfs");
    }

    @Test
    void aRemovedProviderIsNoLongerTried() throws Exception {
        FakeProvider systemd = provider("systemd", 300, 1, true);
        provider("sysfs", 100, 2, true);
        ram.removeProvider(systemd);

        suspend();

        assertThat(journal).containsExactly("perform sysfs");
    }

    @Test
    void aProviderOfAnotherModeIsNeverTriedEvenWhenBound() throws Exception {
        FakeProvider disk = new FakeProvider(journal, "systemd", SuspendMode.FAMILY, "disk", 300, 1, true);
        ram.addProvider(disk, FakeReference.of(disk.properties::get));

        assertThatThrownBy(this::suspend).hasMessage("the requested suspend mode is not supported by the guest");
        assertThat(journal).isEmpty();
    }
}
