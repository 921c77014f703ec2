package dev.somnus.power.systemd;

import dev.somnus.api.provider.Availability;
import dev.somnus.api.provider.Outcome;
import dev.somnus.api.provider.Reasons;
import dev.somnus.api.shutdown.ShutdownMode;
import dev.somnus.provider.common.HelperRunner;
import dev.somnus.provider.common.ProviderMethod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One shutdown mode through systemd: {@code systemctl poweroff|halt|reboot}. qemu-ga never asks
 * systemd (every version runs {@code /sbin/shutdown} or BusyBox's programs), but on a systemd
 * guest its {@code /sbin/shutdown} is systemctl itself; asking systemctl directly gives its own
 * failure instead of the compatibility layer's. Available only where systemd manages the machine
 * (its run directory, {@code /run/systemd/system}, exists: the test sd_booted() makes) and
 * systemctl is installed where the reaper will look for it; the probe runs nothing (no program of
 * this family is ever run to probe). The action is done on exit
 * 0, which for systemctl means the manager accepted the job: the shutdown itself follows
 * asynchronously, and stops this agent. The helper therefore survives the agent's stop
 * ({@link HelperRunner#runSurvivingStop}).
 */
final class SystemdMethod implements ProviderMethod {

    private final Path runDir;
    private final String systemctl;
    private final Supplier<String> trustedDirectories;
    private final List<String> act;
    private final HelperRunner actions;

    /**
     * @param trustedDirectories the reaper's trusted directories as now configured, where a bare
     *        systemctl is looked up
     */
    SystemdMethod(ShutdownMode mode, String systemctl, Path runDir, Supplier<String> trustedDirectories,
            HelperRunner actions) {
        this.runDir = runDir;
        this.systemctl = systemctl;
        this.trustedDirectories = trustedDirectories;
        this.act = List.of(systemctl, verb(mode));
        this.actions = actions;
    }

    static String verb(ShutdownMode mode) {
        switch (mode) {
            case HALT:
                return "halt";
            case REBOOT:
                return "reboot";
            case POWERDOWN:
            default:
                return "poweroff";
        }
    }

    @Override
    public Availability probe() {
        if (!Files.isDirectory(runDir)) {
            return Availability.unavailable(Reasons.MANAGER_NOT_RUNNING,
                    runDir + " does not exist: the machine was not booted with systemd");
        }
        return HelperRunner.installed(systemctl, trustedDirectories.get());
    }

    @Override
    public String action(Map<String, Object> request) {
        return "exec " + String.join(" ", act);
    }

    @Override
    public Outcome perform(Map<String, Object> request) throws InterruptedException {
        return HelperRunner.actionOutcome(act, actions.runSurvivingStop(act), "systemd accepted the job");
    }
}
