package dev.somnus.clock.hwclock;

import dev.somnus.api.provider.Availability;
import dev.somnus.api.provider.Outcome;
import dev.somnus.api.provider.Reasons;
import dev.somnus.clock.ClockFamily;
import dev.somnus.provider.common.HelperRunner;
import dev.somnus.provider.common.ProviderMethod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One direction through hwclock, exactly what qemu-ga 7.2 runs (qga/commands-posix.c,
 * qmp_guest_set_time): {@code hwclock -w} (mode set: the system clock into the RTC) or
 * {@code hwclock -s} (mode sync: the RTC into the system clock). Available while the program is
 * executable, qemu-ga's {@code access(X_OK)} test; done on exit status 0.
 */
final class HwclockMethod implements ProviderMethod {

    private final Path hwclock;
    private final List<String> argv;
    private final HelperRunner actions;
    private final String doneMeans;

    HwclockMethod(String mode, String hwclock, HelperRunner actions) {
        this.hwclock = Path.of(hwclock);
        boolean set = ClockFamily.SET.equals(mode);
        this.argv = List.of(hwclock, set ? "-w" : "-s");
        this.doneMeans = set ? "the hardware clock was set from the system clock"
                : "the system clock was set from the hardware clock";
        this.actions = actions;
    }

    @Override
    public Availability probe() {
        if (!Files.isExecutable(hwclock)) {
            return Availability.unavailable(Reasons.HELPER_MISSING, hwclock + " is not an executable file"
                    + (Files.exists(hwclock) ? "" : ": No such file or directory"));
        }
        return Availability.available(hwclock + " is executable");
    }

    @Override
    public String action(Map<String, Object> request) {
        return "exec " + String.join(" ", argv);
    }

    @Override
    public Outcome perform(Map<String, Object> request) throws InterruptedException {
        return HelperRunner.actionOutcome(argv, actions.run(argv), doneMeans);
    }
}
