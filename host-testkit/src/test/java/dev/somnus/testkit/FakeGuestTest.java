package dev.somnus.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fake guest's helpers do what the suspend and shutdown tests take them to do, and nothing else. */
class FakeGuestTest {

    @TempDir
    Path tmp;

    private static Process run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("helper ended").isTrue();
        return process;
    }

    @Test
    void helpersLogTheirArgvInOrderAndSayYesUnlessToldOtherwise() throws Exception {
        FakeGuest guest = new FakeGuest(tmp);

        assertThat(run(guest.helper("pm-is-supported"), "--suspend").exitValue()).isZero();
        assertThat(run(guest.helper("pm-suspend")).exitValue()).isZero();
        // a systemd guest's "known, inactive"
        assertThat(run(guest.helper("systemctl"), "status", "systemd-suspend").exitValue()).isEqualTo(3);

        assertThat(guest.calls()).containsExactly("pm-is-supported --suspend", "pm-suspend",
                "systemctl status systemd-suspend");
        assertThat(guest.actions()).containsExactly("pm-suspend");
    }

    @Test
    void anExitCodeForOneArgumentWinsOverTheHelpersOwn() throws Exception {
        FakeGuest guest = new FakeGuest(tmp).exit("systemctl", 1).exit("systemctl", "suspend", 5);

        Process suspend = run(guest.helper("systemctl"), "suspend");
        assertThat(suspend.exitValue()).isEqualTo(5);
        assertThat(new String(suspend.getInputStream().readAllBytes())).isEqualTo("fake systemctl says 5\n");
        assertThat(run(guest.helper("systemctl"), "hibernate").exitValue()).isEqualTo(1);
    }

    @Test
    void aKilledHelperDiesOfItsSignalAndASlowOneTellsItsPid() throws Exception {
        FakeGuest guest = new FakeGuest(tmp).killedBy("pm-hibernate", 9).slow("pm-hibernate", 0);

        Process hibernate = run(guest.helper("pm-hibernate"));

        assertThat(hibernate.exitValue()).isEqualTo(128 + 9);
        assertThat(guest.sleeper("pm-hibernate")).contains(hibernate.pid());
        assertThat(guest.sleeper("pm-suspend")).isEmpty();
    }

    @Test
    void resetForgetsEverythingAndWithoutPmUtilsRemovesItsPrograms() throws Exception {
        FakeGuest guest = new FakeGuest(tmp).systemdRunning().state("freeze mem").disk("[platform] suspend")
                .exit("pm-suspend", 1);
        run(guest.helper("pm-suspend"));

        guest.reset();

        assertThat(guest.calls()).isEmpty();
        assertThat(guest.state()).isEmpty();
        assertThat(tmp.resolve("sys/power/disk")).doesNotExist();
        assertThat(Path.of(guest.runDir())).doesNotExist();
        assertThat(run(guest.helper("pm-suspend")).exitValue()).isZero();

        guest.withoutPmUtils();
        assertThat(Files.list(guest.bin).map(p -> p.getFileName().toString()).filter(n -> !n.contains(".")))
                .containsExactlyInAnyOrder("systemctl", "chpasswd", "hwclock", "shutdown", "busybox", "poweroff", "halt",
                        "reboot");
        guest.withoutHwclock();
        assertThat(guest.bin.resolve("hwclock")).doesNotExist();
    }

    @Test
    void theFakeChpasswdKeepsWhatItReadsAndChangesNothing() throws Exception {
        FakeGuest guest = new FakeGuest(tmp).exit("chpasswd", "-e", 1);

        Process plain = new ProcessBuilder(guest.helper("chpasswd")).start();
        plain.getOutputStream().write("alice:secret\n".getBytes());
        plain.getOutputStream().close();
        assertThat(plain.waitFor(20, TimeUnit.SECONDS)).isTrue();
        Process crypted = new ProcessBuilder(guest.helper("chpasswd"), "-e").start();
        crypted.getOutputStream().write("bob:$6$x$y\n".getBytes());
        crypted.getOutputStream().close();
        assertThat(crypted.waitFor(20, TimeUnit.SECONDS)).isTrue();

        assertThat(plain.exitValue()).isZero();
        assertThat(crypted.exitValue()).isEqualTo(1);
        assertThat(guest.calls()).containsExactly("chpasswd", "chpasswd -e");
        assertThat(new String(guest.chpasswdInput())).isEqualTo("alice:secret\nbob:$6$x$y\n");
        guest.reset();
        assertThat(guest.chpasswdInput()).isEmpty();
    }

    @Test
    void theConfigurationPointsEveryProviderIntoTheGuest() throws Exception {
        FakeGuest guest = new FakeGuest(tmp);

        var configuration = guest.configuration();

        assertThat(configuration.keySet()).containsExactly("dev.somnus.reaper", "dev.somnus.suspend",
                "dev.somnus.suspend.systemd", "dev.somnus.suspend.pmutils", "dev.somnus.suspend.sysfs",
                "dev.somnus.shutdown", "dev.somnus.shutdown.systemd", "dev.somnus.shutdown.sysv",
                "dev.somnus.shutdown.busybox", "dev.somnus.resources", "dev.somnus.files", "dev.somnus.credentials",
                "dev.somnus.freeze",
                "dev.somnus.clock", "dev.somnus.clock.system", "dev.somnus.clock.hwclock", "dev.somnus.clock.rtc");
        // no agent on this guest has the real system clock, and the clock providers act on fakes
        assertThat(configuration.get("dev.somnus.clock.system")).containsEntry("enabled", "false");
        assertThat(configuration.get("dev.somnus.clock.hwclock")).containsEntry("hwclock", guest.helper("hwclock"));
        assertThat(configuration.get("dev.somnus.clock.rtc")).containsEntry("device", tmp.resolve("dev/rtc0").toString());
        assertThat(Files.isRegularFile(guest.rtc())).isTrue();
        for (String pid : List.of("dev.somnus.resources", "dev.somnus.files", "dev.somnus.credentials",
                "dev.somnus.freeze")) {
            // the families that write act under the fake guest
            assertThat(configuration.get(pid)).containsEntry("root", tmp.toString());
        }
        for (String pid : List.of("dev.somnus.suspend.systemd", "dev.somnus.suspend.pmutils", "dev.somnus.suspend.sysfs",
                "dev.somnus.clock.hwclock", "dev.somnus.clock.rtc", "dev.somnus.shutdown.systemd",
                "dev.somnus.shutdown.sysv", "dev.somnus.shutdown.busybox")) {
            assertThat(configuration.get(pid)).containsEntry("probeIntervalSeconds", "0");
        }
        assertThat(configuration.get("dev.somnus.suspend")).containsEntry("staleAfterSeconds", "0");
        assertThat(configuration.get("dev.somnus.credentials")).containsEntry("chpasswd", guest.helper("chpasswd"));
        assertThat(configuration.get("dev.somnus.shutdown")).containsEntry("staleAfterSeconds", "0");
        // every program a shutdown provider could run is a fake of the guest
        assertThat(configuration.get("dev.somnus.shutdown.systemd")).containsEntry("systemctl", guest.helper("systemctl"));
        assertThat(configuration.get("dev.somnus.shutdown.sysv")).containsOnlyKeys("shutdown", "probeIntervalSeconds")
                .containsEntry("shutdown", guest.helper("shutdown"));
        assertThat(configuration.get("dev.somnus.shutdown.busybox")).containsEntry("poweroff", guest.helper("poweroff"))
                .containsEntry("halt", guest.helper("halt")).containsEntry("reboot", guest.helper("reboot"))
                .containsEntry("busybox", guest.helper("busybox"));
        assertThat(configuration.values()).flatMap(m -> m.entrySet())
                .filteredOn(e -> e.getValue().startsWith("/"))
                .allSatisfy(e -> assertThat(e.getValue()).as(e.getKey()).startsWith(tmp.toString()));
    }

    @Test
    void theShutdownFakesOnlyLogTheirArgvAndTheAppletsAreLinksToTheFakeBusyBox() throws Exception {
        FakeGuest guest = new FakeGuest(tmp);

        assertThat(run(guest.helper("shutdown"), "-h", "-P", "+0", "hypervisor initiated shutdown").exitValue()).isZero();
        assertThat(run(guest.helper("poweroff")).exitValue()).isZero();
        assertThat(run(guest.helper("reboot")).exitValue()).isZero();

        assertThat(guest.actions()).containsExactly("shutdown -h -P +0 hypervisor initiated shutdown", "poweroff",
                "reboot");
        for (String applet : FakeGuest.BUSYBOX_APPLETS) {
            assertThat(guest.bin.resolve(applet).toRealPath()).isEqualTo(guest.bin.resolve("busybox").toRealPath());
        }
        guest.without("shutdown", "poweroff");
        assertThat(guest.bin.resolve("shutdown")).doesNotExist();
        assertThat(guest.bin.resolve("poweroff")).doesNotExist();
        assertThat(guest.bin.resolve("busybox")).exists();
    }

    @Test
    void aSlowHelperSaysWhenItWoke() throws Exception {
        FakeGuest guest = new FakeGuest(tmp).slow("shutdown", 0);
        assertThat(guest.woke("shutdown")).isFalse();

        run(guest.helper("shutdown"));

        assertThat(guest.woke("shutdown")).isTrue();
        guest.slow("shutdown", 0);
        assertThat(guest.woke("shutdown")).isFalse();
    }
}
