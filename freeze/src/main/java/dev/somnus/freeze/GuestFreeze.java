package dev.somnus.freeze;

import dev.somnus.api.command.CommandException;
import dev.somnus.api.command.FrozenFileSystems;
import dev.somnus.api.process.ChildProcesses;
import dev.somnus.freeze.FileSystemControl.Failure;
import dev.somnus.freeze.FileSystemControl.Step;
import dev.somnus.freeze.FileSystemControl.Trimmed;
import dev.somnus.mounts.MountTable;
import dev.somnus.mounts.MountTable.Mount;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The guest's freeze: which file systems are frozen, thawed and trimmed, in qemu-ga 7.2's order,
 * and the frozen state the agent is in between a freeze and its thaw. Every command of the family
 * calls into this one component, which does one freeze, thaw or trim at a time (qemu-ga has one
 * main loop).
 *
 * <p>The frozen state is qemu-ga's {@code ga_set_frozen}/{@code ga_unset_frozen} (qga/main.c): a
 * {@link FrozenFileSystems} service, registered before the first FIFREEZE and withdrawn at the thaw,
 * makes the runtime refuse every command outside qemu-ga's allow list; the empty marker
 * {@code <statedir>/qga.state.isfrozen} is created with it and deleted with it, and a marker found
 * at activation means an earlier agent died frozen: the agent then starts frozen, as qemu-ga does
 * (qga-reference §3.4). When the component stops while frozen it thaws, as qemu-ga's
 * {@code guest_fsfreeze_cleanup} does at exit.
 *
 * <p>Beyond qemu-ga: {@code thawAfterSeconds} thaws by itself when the host never does; and with a
 * configured root other than {@code /} (a test tree) nothing on the file system of {@code /} or of
 * the tree itself is frozen, thawed or trimmed, whatever the tree's mount table says.
 */
@Component(service = GuestFreeze.class, configurationPid = FreezeConfig.PID, immediate = true)
@Designate(ocd = FreezeConfig.class)
public final class GuestFreeze {

    /** Set by the launcher to the agent's -t/--statedir. */
    static final String STATEDIR_PROPERTY = "somnus.ga.statedir";

    /** Set by the launcher to the agent's -F/--fsfreeze-hook, absent without it. */
    static final String HOOK_PROPERTY = "somnus.ga.fsfreeze-hook";

    /** qemu-ga's -t default on Linux. */
    static final String DEFAULT_STATEDIR = "/var/run";

    /** {@code state_filepath_isfrozen}. */
    static final String MARKER = "qga.state.isfrozen";

    static final String FROZEN = "frozen";
    static final String THAWED = "thawed";

    /** The configuration as used. */
    record Settings(Path root, Path stateDirectory, String hook, Duration thawAfter) {

        Settings {
            Objects.requireNonNull(root, "root");
            Objects.requireNonNull(stateDirectory, "stateDirectory");
            Objects.requireNonNull(thawAfter, "thawAfter");
        }

        Path marker() {
            return stateDirectory.resolve(MARKER);
        }
    }

    /** Registers the frozen state for the runtime; the returned action withdraws it. */
    interface Publisher {
        Runnable publish(FrozenFileSystems frozen);
    }

    /** Where qemu-ga's slog lines (info) and g_warning lines go. */
    interface Log {
        void info(String message);

        void warning(String message);
    }

    @Reference(service = LoggerFactory.class)
    private Logger logger;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ChildProcesses children;

    private final ReentrantLock lock = new ReentrantLock();
    private FileSystemControl control;
    private Publisher publisher;
    private Log log;
    private Supplier<ChildProcesses> reaper;
    private volatile Settings settings;
    private ScheduledExecutorService deadlines;

    // the frozen state; written under the lock, read by status without it
    private volatile Runnable withdraw;
    private volatile Instant frozenSince;
    private Path markerInUse;
    private ScheduledFuture<?> deadline;

    /** For Declarative Services; {@link #activate} does the rest. */
    public GuestFreeze() {
    }

    GuestFreeze(Settings settings, FileSystemControl control, Supplier<ChildProcesses> reaper, Publisher publisher,
            Log log) {
        this.control = control;
        this.reaper = reaper;
        this.publisher = publisher;
        this.log = log;
        start(settings);
    }

    @Activate
    void activate(BundleContext context, FreezeConfig config) {
        control = new NativeFileSystemControl();
        reaper = () -> children;
        publisher = frozen -> {
            ServiceRegistration<FrozenFileSystems> registration =
                    context.registerService(FrozenFileSystems.class, frozen, null);
            return () -> {
                try {
                    registration.unregister();
                } catch (IllegalStateException alreadyGone) {
                    // the bundle is stopping and the framework withdrew it first
                }
            };
        };
        Logger to = logger;
        log = new Log() {
            @Override
            public void info(String message) {
                to.info(message);
            }

            @Override
            public void warning(String message) {
                to.warn(message);
            }
        };
        start(settings(context, config));
    }

    @Modified
    void modified(BundleContext context, FreezeConfig config) {
        Settings changed = settings(context, config);
        lock.lock();
        try {
            settings = changed;
            if (withdraw != null) {
                scheduleDeadline();
            }
        } finally {
            lock.unlock();
        }
    }

    /** qemu-ga's {@code guest_fsfreeze_cleanup}: a stopping agent thaws what it froze. */
    @Deactivate
    void stop() {
        lock.lock();
        try {
            if (withdraw != null) {
                try {
                    thawLocked();
                } catch (CommandException e) {
                    log.warning("failed to clean up frozen filesystems: " + e.desc());
                }
            }
        } finally {
            lock.unlock();
            deadlines.shutdownNow();
        }
    }

    static Settings settings(BundleContext context, FreezeConfig config) {
        String stateDirectory = config.stateDirectory();
        if (stateDirectory.isEmpty()) {
            String launcher = context.getProperty(STATEDIR_PROPERTY);
            stateDirectory = launcher == null || launcher.isEmpty() ? DEFAULT_STATEDIR : launcher;
        }
        return new Settings(Path.of(config.root()), Path.of(stateDirectory), context.getProperty(HOOK_PROPERTY),
                Duration.ofSeconds(Math.max(0, config.thawAfterSeconds())));
    }

    private void start(Settings initial) {
        settings = initial;
        deadlines = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "somnus-freeze-deadline");
            thread.setDaemon(true);
            return thread;
        });
        Path marker = initial.marker();
        if (Files.exists(marker)) {
            lock.lock();
            try {
                log.warning("previous instance appears to have exited with frozen filesystems. disabling "
                        + "non-fsfreeze-safe commands until guest-fsfreeze-thaw is issued, or filesystems are "
                        + "manually unfrozen and the file " + marker + " is removed");
                enterFrozen(initial, "since start-up: " + marker + " was left by an earlier agent");
            } finally {
                lock.unlock();
            }
        }
    }

    /** {@code qmp_guest_fsfreeze_status}. */
    String status() {
        return withdraw != null ? FROZEN : THAWED;
    }

    /**
     * {@code qmp_guest_fsfreeze_freeze_list} (guest-fsfreeze-freeze is the same without a list):
     * the hook with {@code freeze}, the mount list, the frozen state, then FIFREEZE in reverse
     * mount order. EOPNOTSUPP (a file system that cannot freeze) and EBUSY (one frozen already,
     * through an earlier bind mount) are not counted; any other failure thaws everything again and
     * answers the error. Nothing frozen: the state is left again without the thaw hook, as in 7.2.
     *
     * @param command the wire name asked for, for the refusal below
     * @param wanted the mount points to freeze, or null for all
     * @return how many file systems this call froze
     */
    long freeze(String command, List<String> wanted) throws CommandException {
        lock.lock();
        try {
            refuseWhileFrozen(command);
            Settings current = settings;
            log.info("guest-fsfreeze called");
            hook(current).run(FreezeHook.FREEZE);
            List<Mount> targets = freezeOrder(MountTable.read(current.root()), wanted);
            // "cannot risk guest agent blocking itself on a write in this state"
            enterFrozen(current, "since " + Instant.now() + " by guest-fsfreeze-freeze: "
                    + targets.stream().map(Mount::mountpoint).collect(Collectors.joining(", ")));
            long frozen = 0;
            try {
                for (Mount mount : targets) {
                    refuseOutsideTree(current, mount, "failed to freeze ");
                }
                for (Mount mount : targets) {
                    Failure failure = control.freeze(MountTable.under(current.root(), mount.mountpoint()));
                    if (failure == null) {
                        frozen++;
                    } else if (failure.step() == Step.OPEN) {
                        throw new CommandException("failed to open " + mount.mountpoint() + ": " + failure.text());
                    } else if (failure.errno() != FileSystemControl.EOPNOTSUPP
                            && failure.errno() != FileSystemControl.EBUSY) {
                        throw new CommandException("failed to freeze " + mount.mountpoint() + ": " + failure.text());
                    }
                }
            } catch (CommandException failed) {
                // qmp_guest_fsfreeze_thaw(NULL): its own errors go unreported (and when it cannot
                // read the mount list either, the state stays frozen until the host thaws, as in 7.2)
                try {
                    thawLocked();
                } catch (CommandException ignored) {
                    // the freeze's error is the reply
                }
                throw failed;
            }
            if (frozen == 0) {
                leaveFrozen();
            }
            return frozen;
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@code qmp_guest_fsfreeze_thaw}: FITHAW on every listed file system in mount order, each
     * until it fails, counting the file systems at least one call thawed; then the state is left
     * and the hook runs with {@code thaw} (its failure is the reply, the count is lost). Runs when
     * nothing is frozen too, as in qemu-ga.
     */
    long thaw() throws CommandException {
        lock.lock();
        try {
            return thawLocked();
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@code qmp_guest_fstrim}: FITRIM on every listed file system in mount order; the reply lists
     * them in reverse ({@code QAPI_LIST_PREPEND}), each with {@code minimum} and {@code trimmed}
     * as the kernel left them in the range, or an {@code error}.
     */
    Map<String, Object> trim(long minimum) throws CommandException {
        lock.lock();
        try {
            refuseWhileFrozen(FstrimCommand.NAME);
            Settings current = settings;
            log.info("guest-fstrim called");
            List<Object> paths = new ArrayList<>();
            for (Mount mount : MountTable.read(current.root())) {
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("path", mount.mountpoint());
                String refused = outsideTree(current, mount);
                if (refused != null) {
                    result.put("error", "failed to trim: " + refused);
                    paths.add(0, result);
                    continue;
                }
                Object outcome = control.trim(MountTable.under(current.root(), mount.mountpoint()), minimum);
                if (outcome instanceof Trimmed trimmed) {
                    result.put("minimum", trimmed.minimum());
                    result.put("trimmed", trimmed.trimmed());
                } else {
                    Failure failure = (Failure) outcome;
                    if (failure.step() == Step.OPEN) {
                        result.put("error", "failed to open: " + failure.text());
                    } else if (failure.errno() == FileSystemControl.ENOTTY
                            || failure.errno() == FileSystemControl.EOPNOTSUPP) {
                        result.put("error", "trim not supported");
                    } else {
                        result.put("error", "failed to trim: " + failure.text());
                    }
                }
                paths.add(0, result);
            }
            Map<String, Object> response = new LinkedHashMap<>();
            response.put("paths", paths);
            return response;
        } finally {
            lock.unlock();
        }
    }

    /** What {@link #freeze} would do, for a dry run, refusing what it would refuse before it froze. */
    String explainFreeze(List<String> wanted) throws CommandException {
        Settings current = settings;
        FreezeHook hook = hook(current);
        hook.check();
        List<Mount> targets = freezeOrder(MountTable.read(current.root()), wanted);
        for (Mount mount : targets) {
            refuseOutsideTree(current, mount, "failed to freeze ");
        }
        String hookFirst = hook.path() == null ? "" : "run fsfreeze hook '" + hook.path() + "' freeze, then ";
        return hookFirst + "freeze " + count(targets) + " in this order: " + names(targets);
    }

    /** What {@link #thaw} would do, for a dry run. */
    String explainThaw() throws CommandException {
        Settings current = settings;
        List<Mount> mounts = MountTable.read(current.root());
        String hook = hook(current).path();
        return "thaw " + count(mounts) + " in this order: " + names(mounts)
                + (hook == null ? "" : ", then run fsfreeze hook '" + hook + "' thaw");
    }

    /** What {@link #trim} would do, for a dry run. */
    String explainTrim(long minimum) throws CommandException {
        List<Mount> mounts = MountTable.read(settings.root());
        return "trim " + count(mounts) + " (minimum " + minimum + ") in this order: " + names(mounts);
    }

    /**
     * Where each mount point {@link #freeze} would freeze lies, in its order: what a test asserts
     * is inside its own folder before it lets anything freeze.
     */
    List<Path> freezeTargets(List<String> wanted) throws CommandException {
        Settings current = settings;
        return freezeOrder(MountTable.read(current.root()), wanted).stream()
                .map(mount -> MountTable.under(current.root(), mount.mountpoint()))
                .collect(Collectors.toList());
    }

    /**
     * The runtime refuses these commands while frozen; one that passed its check just before
     * another channel's freeze and then waited for the lock is refused here with the same words
     * (qemu-ga, with one main loop, never meets this). Freezing again would otherwise count 0
     * (every FIFREEZE EBUSY) and leave the frozen state with the file systems still frozen.
     */
    private void refuseWhileFrozen(String command) throws CommandException {
        if (withdraw != null) {
            throw new CommandException(CommandException.COMMAND_NOT_FOUND,
                    "Command " + command + " has been disabled: the agent is in frozen state");
        }
    }

    /** {@code QTAILQ_FOREACH_REVERSE}, keeping only the wanted mount points (strcmp). */
    private static List<Mount> freezeOrder(List<Mount> mounts, List<String> wanted) {
        List<Mount> order = new ArrayList<>(mounts);
        Collections.reverse(order);
        if (wanted != null) {
            order.removeIf(mount -> !wanted.contains(mount.mountpoint()));
        }
        return order;
    }

    private long thawLocked() throws CommandException {
        Settings current = settings;
        List<Mount> mounts = MountTable.read(current.root());
        long thawed = 0;
        for (Mount mount : mounts) {
            if (outsideTree(current, mount) != null) {
                continue;
            }
            if (control.thaw(MountTable.under(current.root(), mount.mountpoint())) > 0) {
                thawed++;
            }
        }
        leaveFrozen();
        hook(current).run(FreezeHook.THAW);
        return thawed;
    }

    /** {@code ga_set_frozen}. */
    private void enterFrozen(Settings current, String description) {
        if (withdraw != null) {
            return;
        }
        frozenSince = Instant.now();
        withdraw = publisher.publish(() -> description);
        markerInUse = current.marker();
        try (FileChannel created = FileChannel.open(markerInUse, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            // empty: its existence is the state
        } catch (IOException | UnsupportedOperationException e) {
            log.warning("unable to create " + markerInUse + ", fsfreeze may not function properly");
        }
        scheduleDeadline();
    }

    /** {@code ga_unset_frozen}. */
    private void leaveFrozen() {
        if (withdraw == null) {
            return;
        }
        withdraw.run();
        withdraw = null;
        frozenSince = null;
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
        try {
            Files.deleteIfExists(markerInUse);
        } catch (IOException e) {
            log.warning("unable to delete " + markerInUse + ", fsfreeze may not function properly");
        }
    }

    /** Beyond qemu-ga: the configured deadline counts from the moment the state was entered. */
    private void scheduleDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
        Duration after = settings.thawAfter();
        Instant since = frozenSince;
        if (after.isZero() || since == null) {
            return;
        }
        long remaining = Math.max(0, Duration.between(Instant.now(), since.plus(after)).toMillis());
        deadline = deadlines.schedule(() -> thawByDeadline(since), remaining, TimeUnit.MILLISECONDS);
    }

    private void thawByDeadline(Instant since) {
        lock.lock();
        try {
            if (withdraw == null || !since.equals(frozenSince)) {
                return;
            }
            // logged after the thaw: a log file on a frozen file system would block this thread
            String outcome;
            try {
                outcome = "thawed " + thawLocked() + " file systems by itself";
            } catch (CommandException e) {
                outcome = "the thaw by itself failed: " + e.desc();
            }
            log.warning("no guest-fsfreeze-thaw within " + settings.thawAfter().toMillis() + " ms of the freeze: "
                    + outcome + " (thawAfterSeconds in " + FreezeConfig.PID + ")");
        } finally {
            lock.unlock();
        }
    }

    private FreezeHook hook(Settings current) {
        return new FreezeHook(current.hook(), reaper, log::info);
    }

    private static void refuseOutsideTree(Settings current, Mount mount, String prefix) throws CommandException {
        String refused = outsideTree(current, mount);
        if (refused != null) {
            throw new CommandException(prefix + mount.mountpoint() + ": " + refused);
        }
    }

    /**
     * With a test tree as root: why the mount point must not be touched (it leads out of the tree,
     * or lies on the file system of {@code /} or of the tree itself: freezing either would hang
     * the machine the test runs on), or null. With root {@code /} (a guest): always null.
     */
    static String outsideTree(Settings current, Mount mount) {
        Path tree;
        try {
            tree = current.root().toRealPath();
        } catch (IOException e) {
            return "refused: the configured root " + current.root() + " cannot be resolved";
        }
        if (tree.getParent() == null) {
            return null;
        }
        Path target;
        try {
            target = MountTable.under(current.root(), mount.mountpoint()).toRealPath();
        } catch (IOException e) {
            return null; // nothing there: the open fails as it would on a guest
        }
        if (!target.startsWith(tree)) {
            return "refused: " + target + " is outside the configured root " + tree;
        }
        try {
            Object device = Files.getAttribute(target, "unix:dev");
            if (device.equals(Files.getAttribute(Path.of("/"), "unix:dev"))) {
                return "refused: " + target + " is on the file system of / (the configured root is " + tree + ")";
            }
            if (device.equals(Files.getAttribute(tree, "unix:dev"))) {
                return "refused: " + target + " is on the file system of the configured root " + tree;
            }
        } catch (IOException | UnsupportedOperationException e) {
            return "refused: the file system of " + target + " cannot be told: " + e.getMessage();
        }
        return null;
    }

    private static String count(List<Mount> mounts) {
        return mounts.size() == 1 ? "1 file system" : mounts.size() + " file systems";
    }

    private static String names(List<Mount> mounts) {
        return mounts.isEmpty() ? "(none)"
                : mounts.stream().map(Mount::mountpoint).collect(Collectors.joining(", "));
    }
}
