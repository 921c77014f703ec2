package dev.somnus.suspend.systemd;

import dev.somnus.api.provider.Availability;
import dev.somnus.api.provider.Outcome;
import dev.somnus.api.provider.Reasons;
import dev.somnus.api.suspend.SuspendMode;
import dev.somnus.provider.common.HelperRunner;
import dev.somnus.provider.common.ProviderMethod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One mode through systemd, qemu-ga's first stage (qga-reference §4.3 step 1), with one deliberate
 * fix. qemu-ga asks only {@code systemctl status <unit>} and takes exit 1, 2 or 3 as support; in a
 * guest not booted with systemd, systemctl exits 1 ("System has not been booted with systemd"), so
 * qemu-ga believes systemd can suspend, runs {@code systemctl <verb>}, discards its failure and may
 * end up answering success without suspending. Here systemd is available only where it really
 * manages the machine — its run directory ({@code /run/systemd/system}, the test sd_booted() makes)
 * exists — and the unit is known: {@code systemctl status} exits 0..3 (4 = unknown unit; qemu-ga
 * also rejects 0, "unit active", which only says the unit is known and busy). The action
 * {@code systemctl hibernate|suspend|hybrid-sleep} is done on exit 0, which for systemd means the
 * request was accepted (the sleep itself happens asynchronously).
 */
final class SystemdMethod implements ProviderMethod {

    private final Path runDir;
    private final List<String> status;
    private final List<String> act;
    private final HelperRunner probes;
    private final HelperRunner actions;

    SystemdMethod(SuspendMode mode, String systemctl, Path runDir, HelperRunner probes, HelperRunner actions) {
        this.runDir = runDir;
        this.status = List.of(systemctl, "status", unit(mode));
        this.act = List.of(systemctl, verb(mode));
        this.probes = probes;
        this.actions = actions;
    }

    static String unit(SuspendMode mode) {
        switch (mode) {
            case DISK:
                return "systemd-hibernate";
            case RAM:
                return "systemd-suspend";
            case HYBRID:
            default:
                return "systemd-hybrid-sleep";
        }
    }

    static String verb(SuspendMode mode) {
        switch (mode) {
            case DISK:
                return "hibernate";
            case RAM:
                return "suspend";
            case HYBRID:
            default:
                return "hybrid-sleep";
        }
    }

    @Override
    public Availability probe() throws InterruptedException {
        if (!Files.isDirectory(runDir)) {
            return Availability.unavailable(Reasons.MANAGER_NOT_RUNNING,
                    runDir + " does not exist: the machine was not booted with systemd");
        }
        return HelperRunner.verdict(status, probes.run(status), code -> code >= 0 && code <= 3, code -> code == 4,
                "systemd does not know the unit " + status.get(2));
    }

    @Override
    public String action(Map<String, Object> request) {
        return "exec " + String.join(" ", act);
    }

    @Override
    public Outcome perform(Map<String, Object> request) throws InterruptedException {
        return HelperRunner.actionOutcome(act, actions.run(act), "systemd accepted the request");
    }
}
