package dev.somnus.suspend.pmutils;

import static org.assertj.core.api.Assertions.assertThat;

import dev.somnus.api.provider.Availability;
import dev.somnus.api.provider.Outcome;
import dev.somnus.api.provider.Provider;
import dev.somnus.api.provider.Reasons;
import dev.somnus.api.suspend.SuspendMode;
import dev.somnus.provider.common.Configs;
import dev.somnus.provider.common.FakeHelper;
import dev.somnus.provider.common.ProcessBuilderChildProcesses;
import dev.somnus.provider.common.ProviderMethod;
import dev.somnus.provider.common.PublishedProvider;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Constants;

/** The pm-utils provider against fake pm-* scripts. */
class PmUtilsProviderTest {

    @TempDir
    Path bin;

    private FakeHelper isSupported;
    private FakeHelper hibernate;
    private FakeHelper suspend;
    private FakeHelper hybrid;
    private PmUtilsProvider.Config config;
    private Map<String, ProviderMethod> methods;

    @BeforeEach
    void fakes() {
        isSupported = FakeHelper.create(bin, "pm-is-supported");
        hibernate = FakeHelper.create(bin, "pm-hibernate");
        suspend = FakeHelper.create(bin, "pm-suspend");
        hybrid = FakeHelper.create(bin, "pm-suspend-hybrid");
        config = Configs.of(PmUtilsProvider.Config.class, "pmIsSupported", isSupported.path(), "pmHibernate",
                hibernate.path(), "pmSuspend", suspend.path(), "pmSuspendHybrid", hybrid.path());
        methods = PmUtilsProvider.methods(config, new ProcessBuilderChildProcesses());
    }

    @Test
    void eachModeAsksPmIsSupportedWithItsFlag() throws Exception {
        for (SuspendMode mode : SuspendMode.values()) {
            assertThat(methods.get(mode.id()).probe().available()).isTrue();
        }

        assertThat(isSupported.calls()).containsExactly("--hibernate", "--suspend", "--suspend-hybrid");
        assertThat(hibernate.calls()).isEmpty();
    }

    @Test
    void exitOneIsRefused() throws Exception {
        isSupported.exitWith(1, "--hibernate");

        Availability disk = methods.get(SuspendMode.DISK.id()).probe();

        assertThat(disk.reason()).isEqualTo(Reasons.HELPER_REFUSED);
        assertThat(disk.sentence()).isEqualTo(
                "'" + isSupported.path() + " --hibernate' exited with status 1: pm-utils does not support hibernation here");
        assertThat(methods.get(SuspendMode.RAM.id()).probe().available()).isTrue();
    }

    @Test
    void otherExitStatusesAreFailedProbes() throws Exception {
        isSupported.exitWith(2);

        Availability answer = methods.get(SuspendMode.RAM.id()).probe();

        assertThat(answer.reason()).isEqualTo(Reasons.PROBE_FAILED);
        assertThat(answer.sentence()).startsWith(
                "'" + isSupported.path() + " --suspend' returned an unexpected exit status code (2)");
    }

    @Test
    void withoutPmUtilsTheHelperIsMissing() throws Exception {
        isSupported.uninstall();

        Availability answer = methods.get(SuspendMode.RAM.id()).probe();

        assertThat(answer.reason()).isEqualTo(Reasons.HELPER_MISSING);
    }

    @Test
    void suspendRunsTheModesProgramWithoutArguments() throws Exception {
        Outcome outcome = methods.get(SuspendMode.HYBRID.id()).perform(Map.of());

        assertThat(outcome.done()).isTrue();
        assertThat(outcome.sentence()).isEqualTo("'" + hybrid.path() + "' exited with status 0: the guest has resumed");
        assertThat(hybrid.calls()).containsExactly("");
        assertThat(suspend.calls()).isEmpty();
        assertThat(methods.get(SuspendMode.DISK.id()).action(Map.of())).isEqualTo("exec " + hibernate.path());
        assertThat(methods.get(SuspendMode.RAM.id()).action(Map.of())).isEqualTo("exec " + suspend.path());
    }

    @Test
    void aFailingActionSaysSo() throws Exception {
        suspend.exitWith(1);

        Outcome outcome = methods.get(SuspendMode.RAM.id()).perform(Map.of());

        assertThat(outcome.done()).isFalse();
        assertThat(outcome.reason()).isEqualTo("action-failed");
        assertThat(outcome.sentence()).isEqualTo(
                "'" + suspend.path() + "' returned an unexpected exit status code (1): fake pm-suspend says 1");
    }

    @Test
    void theServicePropertiesFollowTheHelpersAnswer() {
        List<Dictionary<String, Object>> published = new ArrayList<>();
        PublishedProvider provider = new PublishedProvider(SuspendMode.FAMILY, SuspendMode.RAM.id(), PmUtilsProvider.settings(config),
                methods.get(SuspendMode.RAM.id()));
        provider.probe();
        provider.publishWith(initial -> {
            published.add(initial);
            return published::add;
        });
        assertThat(published.get(0).get(Constants.SERVICE_RANKING)).isEqualTo(200);

        isSupported.exitWith(1);
        provider.probe();

        assertThat(published).hasSize(2);
        assertThat(published.get(1).get(Provider.AVAILABLE)).isEqualTo(false);
        assertThat(published.get(1).get(Provider.REASON)).isEqualTo(Reasons.HELPER_REFUSED);
        assertThat(published.get(1).get(Constants.SERVICE_RANKING)).isEqualTo(200 - 10_000);
    }

    @Test
    void everyJavadocBlockDocumentsSomething() throws Exception {
        dev.somnus.provider.common.JavadocBlocks.assertNoneStacked(java.nio.file.Path.of("src/main/java"));
    }
}
