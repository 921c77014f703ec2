package dev.somnus.exec;

import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

import dev.somnus.api.command.CommandException;
import dev.somnus.api.process.ChildOutcome;
import dev.somnus.api.process.ChildProcess;
import dev.somnus.api.process.ChildProcesses;
import dev.somnus.api.process.ChildSpec;

/**
 * The guest-exec children, by pid, from guest-exec until guest-exec-status has read them once
 * after they ended (qemu-ga's guest_exec_state list, qga/commands.c). The reaper owns and reaps
 * them; this only keeps their outcomes. Bounded by {@link ExecConfig#max_children()}.
 */
@Component(service = ExecChildren.class, configurationPid = "dev.somnus.exec")
@Designate(ocd = ExecConfig.class)
public final class ExecChildren {

    /** One child, and its outcome once the reaper has it. */
    private static final class Kept {
        final ChildProcess process;
        volatile ChildOutcome outcome;

        Kept(ChildProcess process) {
            this.process = process;
        }
    }

    @Reference
    private ChildProcesses processes;

    @Reference(service = LoggerFactory.class)
    private Logger logger;

    private Consumer<String> warnings = message -> logger.warn(message);
    private final Map<Long, Kept> kept = new LinkedHashMap<>(); // oldest first; guarded by itself
    private volatile int maxChildren;
    private volatile int outputCap;

    public ExecChildren() {
    }

    /** Outside OSGi (tests): with the given reaper and a sink for warnings. */
    ExecChildren(ChildProcesses processes, Consumer<String> warnings, ExecConfig config) {
        this.processes = processes;
        this.warnings = warnings;
        modified(config);
    }

    @Activate
    @Modified
    void modified(ExecConfig config) {
        maxChildren = Math.max(1, config.max_children());
        outputCap = Math.max(0, config.output_cap());
    }

    /**
     * Starts a host-chosen program and keeps it.
     *
     * @param spec argv, environment and stdio; this adds the output cap
     * @return the child's pid
     * @throws CommandException qemu-ga's text when it cannot start ({@code Guest agent command
     *         failed, error was 'Failed to execute child process “<path>” (<strerror>)'}, GLib's
     *         gspawn.c message through QERR_QGA_COMMAND_FAILED), or when the bound is reached
     *         with every kept child still running
     */
    long start(ChildSpec spec) throws CommandException {
        synchronized (kept) {
            makeRoom();
            // qemu-ga reports exited only once both pipes are closed, also by what the child left running
            ChildProcess child = processes.spawn(spec.hostChosen().withOutputCap(outputCap)
                    .withCaptureToEndOfFile());
            if (child.pid() < 0) {
                throw new CommandException(failed("Failed to execute child process \u201C" + spec.argv().get(0)
                        + "\u201D (" + startError(child) + ")"));
            }
            Kept entry = new Kept(child);
            Kept earlier = kept.put(child.pid(), entry);
            if (earlier != null) {
                // The reaper reaps at once, so the kernel may hand an unread child's pid on; qemu-ga
                // keeps both and answers the older first, here the newer wins.
                warnings.accept("guest-exec: pid " + child.pid() + " was reused before its status was read;"
                        + " the earlier child's status is lost (" + earlier.process.argv() + ")");
            }
            child.outcome().thenAccept(outcome -> entry.outcome = outcome);
            return child.pid();
        }
    }

    /**
     * guest-exec-status (qga/commands.c qmp_guest_exec_status): {@code exited} false while it
     * runs; once it has ended, {@code exited} true, {@code exitcode} or {@code signal}, and for each
     * stream that captured at least one byte its base64 data and truncation flag, after which the
     * child is forgotten.
     *
     * @throws CommandException {@code Invalid parameter 'pid'} for a pid not kept (QERR_INVALID_PARAMETER)
     */
    Map<String, Object> status(long pid) throws CommandException {
        ChildOutcome outcome;
        synchronized (kept) {
            Kept entry = kept.get(pid);
            if (entry == null) {
                throw new CommandException("Invalid parameter 'pid'");
            }
            outcome = entry.outcome;
            if (outcome == null) {
                Map<String, Object> running = new LinkedHashMap<>();
                running.put("exited", false);
                return running;
            }
            kept.remove(pid);
        }
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("exited", true);
        if (outcome.kind() == ChildOutcome.Kind.EXITED) {
            status.put("exitcode", (long) outcome.exitCode());
        } else {
            status.put("signal", (long) outcome.signal());
        }
        byte[] out = outcome.stdout();
        if (out.length > 0) {
            status.put("out-data", Base64.getEncoder().encodeToString(out));
            status.put("out-truncated", outcome.stdoutTruncated());
        }
        byte[] err = outcome.stderr();
        if (err.length > 0) {
            status.put("err-data", Base64.getEncoder().encodeToString(err));
            status.put("err-truncated", outcome.stderrTruncated());
        }
        return status;
    }

    /**
     * At the bound, forgets the oldest child that has ended, so a host that never reads the
     * status of what it started cannot block guest-exec for good; only when every kept child is
     * still running is a new one refused.
     */
    private void makeRoom() throws CommandException {
        if (kept.size() < maxChildren) {
            return;
        }
        for (Iterator<Map.Entry<Long, Kept>> it = kept.entrySet().iterator(); it.hasNext();) {
            Map.Entry<Long, Kept> oldest = it.next();
            if (oldest.getValue().outcome != null) {
                it.remove();
                warnings.accept("guest-exec: " + maxChildren + " children kept (max.children), forgot the"
                        + " unread status of pid " + oldest.getKey() + ": " + oldest.getValue().outcome.describe());
                if (kept.size() < maxChildren) {
                    return;
                }
            }
        }
        throw new CommandException(failed(kept.size() + " guest-exec children are still running (max.children of "
                + "dev.somnus.exec is " + maxChildren + ")"));
    }

    private static String failed(String why) {
        return "Guest agent command failed, error was '" + why + "'";
    }

    private static String startError(ChildProcess child) {
        try {
            return child.await().message();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
