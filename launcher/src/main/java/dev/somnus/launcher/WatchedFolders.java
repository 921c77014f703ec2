package dev.somnus.launcher;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.launch.Framework;

/**
 * The folders fileinstall loads bundles and configurations from (deploy/ and conf/), limited to the
 * ones a {@link TrustedFolder} check accepts: hot deploy must not become code execution as root. A
 * refused folder is left out, with an error in the log, and nothing is loaded from it.
 *
 * <p>fileinstall keeps polling while the agent runs, so a folder that becomes writable later is
 * caught too: {@link #guard} re-checks every {@value #CHECK_MILLIS} ms and, when a watched folder
 * turns untrustworthy, stops fileinstall. What was loaded stays loaded; nothing new is read from
 * any folder until the agent restarts. This is a best effort: between a change of rights and the
 * next check, fileinstall may still poll once. The check runs at fileinstall's pace: more often
 * would only wake an idle agent, since a folder is read no more often than fileinstall polls.
 */
final class WatchedFolders {

    static final long CHECK_MILLIS = AgentFramework.POLL_MILLIS;
    static final String FILEINSTALL = "org.apache.felix.fileinstall";

    private final List<Path> watched;
    private final Path empty;
    private final TrustedFolder trust;

    private WatchedFolders(List<Path> watched, Path empty, TrustedFolder trust) {
        this.watched = watched;
        this.empty = empty;
        this.trust = trust;
    }

    /**
     * @param candidates the folders fileinstall should watch
     * @param empty what fileinstall watches when every candidate is refused (without any folder it
     *        would fall back to ./load)
     */
    static WatchedFolders choose(List<Path> candidates, Path empty, TrustedFolder trust, AgentLog log) {
        List<Path> accepted = new ArrayList<>();
        for (Path folder : candidates) {
            String problem = trust.problem(folder);
            if (problem == null) {
                accepted.add(folder);
            } else {
                log.log(AgentLog.Level.ERROR, refusal(folder, problem));
            }
        }
        return new WatchedFolders(List.copyOf(accepted), empty, trust);
    }

    static String refusal(Path folder, String problem) {
        return TrustedFolder.refusal("load bundles or configuration from", folder, problem);
    }

    boolean isWatched(Path folder) {
        return watched.contains(folder);
    }

    /** felix.fileinstall.dir's value. */
    String fileinstallDir() {
        List<Path> folders = watched.isEmpty() ? List.of(empty) : watched;
        return folders.stream().map(Path::toString).collect(Collectors.joining(","));
    }

    /** The watched folder that is no longer trustworthy, with why, or null. */
    String recheck() {
        for (Path folder : watched) {
            String problem = trust.problem(folder);
            if (problem != null) {
                return folder + ": it " + problem;
            }
        }
        return null;
    }

    /**
     * Re-checks the watched folders while {@code framework} runs; stops fileinstall at the first
     * problem. The checking thread is a daemon and ends with the framework.
     */
    void guard(Framework framework, AgentLog log) {
        if (watched.isEmpty()) {
            return;
        }
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "somnus-folder-guard");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(() -> {
            if ((framework.getState() & (Bundle.STARTING | Bundle.ACTIVE)) == 0) {
                timer.shutdown();
                return;
            }
            String problem = recheck();
            if (problem != null) {
                timer.shutdown();
                log.log(AgentLog.Level.ERROR, "no longer loading bundles or configuration from any folder"
                        + " (fileinstall stopped until the agent restarts): " + problem
                        + "; whoever can write there could run code in this agent");
                stopFileinstall(framework, log);
            }
        }, CHECK_MILLIS, CHECK_MILLIS, TimeUnit.MILLISECONDS);
    }

    private static void stopFileinstall(Framework framework, AgentLog log) {
        for (Bundle bundle : framework.getBundleContext().getBundles()) {
            if (FILEINSTALL.equals(bundle.getSymbolicName())) {
                try {
                    bundle.stop();
                } catch (BundleException | IllegalStateException e) {
                    log.log(AgentLog.Level.CRITICAL, "unable to stop fileinstall: " + e.getMessage());
                }
            }
        }
    }
}
