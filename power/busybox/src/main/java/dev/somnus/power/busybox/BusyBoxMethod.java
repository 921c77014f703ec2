package dev.somnus.power.busybox;

import dev.somnus.api.provider.Availability;
import dev.somnus.api.provider.Outcome;
import dev.somnus.api.provider.Reasons;
import dev.somnus.provider.common.HelperRunner;
import dev.somnus.provider.common.ProviderMethod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One shutdown mode through BusyBox's {@code poweroff}, {@code halt} or {@code reboot}, run without
 * arguments: what qemu-ga runs since September 2025 where {@code /sbin/poweroff}, {@code /sbin/halt}
 * or {@code /sbin/reboot} exists (qga/commands-posix.c, qmp_guest_shutdown; 7.2 only knows
 * {@code /sbin/shutdown}, which BusyBox guests lack). BusyBox's applet signals init and exits 0, then
 * init stops this agent, so the helper survives the agent's stop
 * ({@link HelperRunner#runSurvivingStop}).
 *
 * <p>Available only where the program is BusyBox's: it resolves (through its links) to a file
 * named {@code busybox…}, or is the same file as the configured BusyBox binary (a hard link). The
 * probe only looks at files and never runs the program: elsewhere {@code poweroff} is systemctl or
 * sysvinit's halt, which the other providers serve, and no probe may risk running a shutdown.
 */
final class BusyBoxMethod implements ProviderMethod {

    private final String program;
    private final String busybox;
    private final List<String> act;
    private final HelperRunner actions;

    BusyBoxMethod(String program, String busybox, HelperRunner actions) {
        this.program = program;
        this.busybox = busybox;
        this.act = List.of(program);
        this.actions = actions;
    }

    @Override
    public Availability probe() {
        Availability file = HelperRunner.executableFile(program);
        if (!file.available()) {
            return file;
        }
        Path path = Path.of(program);
        Path real;
        try {
            real = path.toRealPath();
        } catch (IOException e) {
            return Availability.unavailable(Reasons.PROBE_FAILED, program + " cannot be resolved: " + e);
        }
        if (real.getFileName().toString().startsWith("busybox")) {
            return Availability.available(program + " is BusyBox's (" + real + ")");
        }
        if (sameFile(path, Path.of(busybox))) {
            return Availability.available(program + " is BusyBox's (the same file as " + busybox + ")");
        }
        return Availability.unavailable(Reasons.HELPER_MISSING,
                program + " is not BusyBox's: it is " + real + ", neither a file named busybox nor " + busybox);
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public String action(Map<String, Object> request) {
        return "exec " + program;
    }

    @Override
    public Outcome perform(Map<String, Object> request) throws InterruptedException {
        return HelperRunner.actionOutcome(act, actions.runSurvivingStop(act), "BusyBox has signalled init");
    }
}
