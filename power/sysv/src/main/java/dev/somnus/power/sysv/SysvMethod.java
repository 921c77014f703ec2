package dev.somnus.power.sysv;

import dev.somnus.api.process.ChildOutcome;
import dev.somnus.api.provider.Availability;
import dev.somnus.api.provider.Outcome;
import dev.somnus.api.provider.Reasons;
import dev.somnus.api.shutdown.ShutdownMode;
import dev.somnus.provider.common.HelperRunner;
import dev.somnus.provider.common.ProviderMethod;
import java.util.List;
import java.util.Map;

/**
 * One shutdown mode the way qemu-ga 7.2 does all three (qga/commands-posix.c, qmp_guest_shutdown,
 * Linux branch): {@code /sbin/shutdown -h -P|-H|-r +0 "hypervisor initiated shutdown"} (powerdown
 * {@code -P}, halt {@code -H}, reboot {@code -r}) in a session of its own with stdin, stdout and
 * stderr on {@code /dev/null}, waited for; exit 0 is done. shutdown returns once init has the
 * request (sysvinit signals init; on systemd it is systemctl, which queues the job), and the
 * shutdown then stops this agent, so the helper survives the agent's stop
 * ({@link HelperRunner#runSurvivingStop}).
 *
 * <p>A failure starts with qemu-ga 7.2's own text — {@code child process has failed to shutdown}
 * (a non-zero exit; also what 7.2 says when exec fails, since its child then exits 1),
 * {@code child process has terminated abnormally} (a signal, here also a timeout), {@code failed
 * to create child process: <strerror>} (no process could be made) — followed by the evidence in
 * parentheses. The probe runs nothing: the program must be an absolute path to an executable file
 * (qemu-ga has no probe and just runs it).
 */
final class SysvMethod implements ProviderMethod {

    /** The message qemu-ga 7.2 passes to shutdown(8). */
    static final String MESSAGE = "hypervisor initiated shutdown";
    static final String FAILED = "child process has failed to shutdown";
    static final String ABNORMAL = "child process has terminated abnormally";
    static final String NOT_CREATED = "failed to create child process";

    private static final int EAGAIN = 11;
    private static final int ENOMEM = 12;

    private final String program;
    private final List<String> act;
    private final HelperRunner actions;

    SysvMethod(ShutdownMode mode, String shutdown, HelperRunner actions) {
        this.program = shutdown;
        this.act = List.of(shutdown, "-h", flag(mode), "+0", MESSAGE);
        this.actions = actions;
    }

    /** qemu-ga 7.2's flags: -P powers off, -H halts, -r reboots (the -h before it says "halt or power off"). */
    static String flag(ShutdownMode mode) {
        switch (mode) {
            case HALT:
                return "-H";
            case REBOOT:
                return "-r";
            case POWERDOWN:
            default:
                return "-P";
        }
    }

    @Override
    public Availability probe() {
        return HelperRunner.executableFile(program);
    }

    @Override
    public String action(Map<String, Object> request) {
        return "exec " + String.join(" ", act.subList(0, 4)) + " \"" + MESSAGE + "\"";
    }

    @Override
    public Outcome perform(Map<String, Object> request) throws InterruptedException {
        return outcome(actions.runSurvivingStop(act));
    }

    /** How qemu-ga 7.2 would have named this end, with the evidence. */
    static Outcome outcome(ChildOutcome ended) {
        String evidence = " (" + ended.describe() + ")";
        switch (ended.kind()) {
            case EXITED:
                return ended.exitCode() == 0 ? Outcome.done(ended.describe() + ": init has the request")
                        : Outcome.failed(Reasons.ACTION_FAILED, FAILED + evidence);
            case RELEASED:
                return Outcome.done(ended.describe() + ": init has the request or will have it");
            case SIGNALLED:
                return Outcome.failed(Reasons.ACTION_KILLED, ABNORMAL + evidence);
            case TIMED_OUT:
                return Outcome.failed(Reasons.ACTION_TIMED_OUT, ABNORMAL + evidence);
            case FAILED_TO_START:
            default:
                if (ended.errno() == EAGAIN || ended.errno() == ENOMEM) {
                    return Outcome.failed(Reasons.ACTION_NOT_STARTED, NOT_CREATED + ": " + ended.message() + evidence);
                }
                return Outcome.failed(HelperRunner.notFound(ended) ? Reasons.HELPER_MISSING : Reasons.ACTION_NOT_STARTED,
                        FAILED + evidence);
        }
    }
}
