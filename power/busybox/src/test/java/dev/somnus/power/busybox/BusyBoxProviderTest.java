package dev.somnus.power.busybox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.somnus.api.process.ChildSpec;
import dev.somnus.api.provider.Availability;
import dev.somnus.api.provider.Outcome;
import dev.somnus.api.provider.Reasons;
import dev.somnus.api.shutdown.ShutdownMode;
import dev.somnus.provider.common.Configs;
import dev.somnus.provider.common.FakeHelper;
import dev.somnus.provider.common.ProcessBuilderChildProcesses;
import dev.somnus.provider.common.ProviderMethod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BusyBox's poweroff / halt / reboot against a fake busybox (a script that only logs its arguments)
 * reached through links in a fake sbin/, as a BusyBox guest installs its applets.
 */
class BusyBoxProviderTest {

    @TempDir
    Path dir;

    private final ProcessBuilderChildProcesses children = new ProcessBuilderChildProcesses();
    private Path sbin;
    private FakeHelper busybox;

    @BeforeEach
    void aBusyBoxGuest() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        sbin = Files.createDirectories(dir.resolve("sbin"));
        busybox = FakeHelper.create(bin, "busybox");
        for (String applet : List.of("poweroff", "halt", "reboot")) {
            Files.createSymbolicLink(sbin.resolve(applet), Path.of("../bin/busybox"));
        }
    }

    private ProviderMethod method(ShutdownMode mode) {
        return BusyBoxProvider.methods(Configs.of(BusyBoxProvider.Config.class, "poweroff", program("poweroff"),
                "halt", program("halt"), "reboot", program("reboot"), "busybox", busybox.path()), children)
                .get(mode.id());
    }

    private String program(String applet) {
        return sbin.resolve(applet).toString();
    }

    @Test
    void aLinkToBusyBoxIsAvailableAndTheProbeRunsNothing() throws Exception {
        Availability answer = method(ShutdownMode.POWERDOWN).probe();

        assertThat(answer.available()).isTrue();
        assertThat(answer.sentence()).isEqualTo(program("poweroff") + " is BusyBox's (" + busybox.path() + ")");
        assertThat(children.spawned()).isEmpty();
    }

    @Test
    void aHardLinkToTheConfiguredBusyBoxIsAvailable() throws Exception {
        Files.delete(sbin.resolve("halt"));
        Files.createLink(sbin.resolve("halt"), Path.of(busybox.path()));
        Path renamed = dir.resolve("bin/bb");
        Files.move(Path.of(busybox.path()), renamed);
        ProviderMethod method = BusyBoxProvider.methods(Configs.of(BusyBoxProvider.Config.class, "halt",
                program("halt"), "busybox", renamed.toString()), children).get(ShutdownMode.HALT.id());

        Availability answer = method.probe();

        assertThat(answer.available()).isTrue();
        assertThat(answer.sentence()).isEqualTo(program("halt") + " is BusyBox's (the same file as " + renamed + ")");
    }

    @Test
    void aProgramThatIsNotBusyBoxsIsNotAvailable() throws Exception {
        // where poweroff is systemctl (systemd guests) or sysvinit's halt, the other providers serve
        FakeHelper systemctl = FakeHelper.create(dir.resolve("bin"), "systemctl");
        Files.delete(sbin.resolve("poweroff"));
        Files.createSymbolicLink(sbin.resolve("poweroff"), Path.of(systemctl.path()));
        Files.delete(sbin.resolve("reboot"));
        FakeHelper.create(sbin, "reboot");

        Availability link = method(ShutdownMode.POWERDOWN).probe();
        Availability file = method(ShutdownMode.REBOOT).probe();

        assertThat(link.reason()).isEqualTo(Reasons.HELPER_MISSING);
        assertThat(link.sentence()).isEqualTo(program("poweroff") + " is not BusyBox's: it is " + systemctl.path()
                + ", neither a file named busybox nor " + busybox.path());
        assertThat(file.available()).isFalse();
        assertThat(children.spawned()).isEmpty();
    }

    @Test
    void aMissingProgramIsHelperMissing() throws Exception {
        Files.delete(sbin.resolve("reboot"));

        Availability answer = method(ShutdownMode.REBOOT).probe();

        assertThat(answer.reason()).isEqualTo(Reasons.HELPER_MISSING);
        assertThat(answer.sentence()).isEqualTo(program("reboot") + " does not exist (helper not installed)");
    }

    @Test
    void eachModeRunsItsProgramWithoutArguments() throws Exception {
        for (ShutdownMode mode : ShutdownMode.values()) {
            assertThat(method(mode).perform(Map.of()).done()).isTrue();
        }

        assertThat(children.spawned()).containsExactly(List.of(program("poweroff")), List.of(program("halt")),
                List.of(program("reboot")));
        assertThat(method(ShutdownMode.HALT).action(Map.of())).isEqualTo("exec " + program("halt"));
        ChildSpec spec = children.specs().get(0);
        assertThat(spec.survivesStop()).isTrue();
        assertThat(List.of(spec.stdin(), spec.stdout(), spec.stderr())).containsOnly(ChildSpec.Stdio.NULL);
    }

    @Test
    void aFailingProgramIsAFailureNamingIt() throws Exception {
        // the fake reads its exit status by the name it was called by, as BusyBox picks the applet
        Files.writeString(sbin.resolve("poweroff.exit"), "1");

        Outcome outcome = method(ShutdownMode.POWERDOWN).perform(Map.of());

        assertThat(outcome.reason()).isEqualTo(Reasons.ACTION_FAILED);
        assertThat(outcome.sentence())
                .isEqualTo("'" + program("poweroff") + "' returned an unexpected exit status code (1)");
    }

    @Test
    void theDefaultsAreTheProgramsNewerQemuGaRuns() {
        BusyBoxProvider.Config defaults = Configs.of(BusyBoxProvider.Config.class);
        assertThat(List.of(defaults.poweroff(), defaults.halt(), defaults.reboot(), defaults.busybox()))
                .containsExactly("/sbin/poweroff", "/sbin/halt", "/sbin/reboot", "/bin/busybox");
        assertThat(defaults.baseRank()).isEqualTo(100);
    }
}
