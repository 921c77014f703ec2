package dev.somnus.reaper.impl;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import dev.somnus.api.process.ChildProcess;
import dev.somnus.api.process.ChildProcesses;
import dev.somnus.api.process.ChildSpec;
import dev.somnus.reaper.impl.posix.Posix;
import dev.somnus.reaper.impl.posix.SpawnFailure;
import jnr.ffi.Pointer;

/**
 * Starts children with posix_spawn and is the only code in the agent that waits for them.
 *
 * <p>One loop thread does all the waiting: it sleeps in poll(2) on a wake-up pipe, the captured
 * output pipes and the children's pidfds, and wakes for a child's exit (its pidfd; SIGCHLD, whose
 * handler writes to the wake-up pipe, where no pidfd could be had), for a new child, a cancel, a
 * timeout, or the slow safety sweep. A SIGCHLD also sweeps at once (orphans inherited as child
 * subreaper have no pidfd and are found only by a sweep), so the periodic sweep is just a safety
 * net for a lost handler and an idle agent's loop sleeps for its whole interval. It reaps only pids it owns
 * ({@code waitpid(pid, WNOHANG)}), never {@code waitpid(-1)}, which would steal exit statuses from
 * {@code java.lang.Process}. Outcomes complete on the loop, which wakes a caller blocked in
 * {@code await()} directly; stages chained on {@code outcome()} run on a small pool, so a slow
 * callback never delays reaping.
 *
 * <p>qemu-ga 7.2 runs its helpers with g_spawn_sync and no timeout, and reads a helper killed by a
 * signal as exit code 0 (qga-reference.md 4.3, 4.5). Here a timeout is enforced when the spec
 * asks for one (SIGTERM, then SIGKILL after the grace period) and a death by signal is reported
 * as such, never as success.
 */
public final class Reaper implements ChildProcesses, LiveChildren, AutoCloseable {

    /** The agent's own environment, which a child inherits unless its spec gives one; it never changes. */
    private static final List<String> INHERITED_ENVIRONMENT = entries(System.getenv());

    /** How the reaper is set up; the component builds it from its configuration. */
    public record Settings(String trustedDirectories, boolean childSubreaper, Duration sweepInterval) {
        public Settings {
            Objects.requireNonNull(trustedDirectories);
            if (sweepInterval.isNegative() || sweepInterval.isZero()) {
                throw new IllegalArgumentException("sweepInterval must be positive");
            }
        }
    }

    /** Where the reaper reports what goes wrong. */
    public interface Log {
        void warn(String message);

        void error(String message, Throwable cause);
    }

    private static final int READ_BUFFER = 64 * 1024;
    private static final long STOP_MARGIN_NANOS = TimeUnit.SECONDS.toNanos(5);
    /**
     * At most this many children are watched through pidfds (beyond it, SIGCHLD and the sweep
     * serve alone), so a burst of children cannot eat the agent's descriptors.
     */
    private static final int MAX_PIDFDS = 256;

    private record Signal(long atNanos, OwnedChild child, int signal, boolean timeout) {
    }

    private final Posix posix;
    private final Log log;
    private volatile ProgramPath programs;
    private volatile long sweepNanos;
    private volatile boolean subreaper;
    private final Boolean subreaperBefore;

    private final Map<Integer, OwnedChild> owned = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<OwnedChild> arrivals = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<OwnedChild> cancels = new ConcurrentLinkedQueue<>();
    private final ReadWriteLock stopLock = new ReentrantReadWriteLock();
    private volatile boolean stopping;

    private final int wakeRead;
    private final int wakeWrite;
    private final Pointer wakeByte;
    private final Object wakeLock = new Object();
    private boolean wakeClosed;

    private final ThreadPoolExecutor completions;
    private final Executor callbacks = this::runCallback;
    private final Thread loop;
    private final SigChld sigchld;
    /**
     * Set by the SIGCHLD handler, cleared by the loop: a child of the agent changed state, so the
     * loop sweeps at once instead of at the safety interval. Deliveries merge, the flag does too.
     */
    private volatile boolean childSignalled;

    // loop thread only
    private final PriorityQueue<Signal> signals = new PriorityQueue<>(Comparator.comparingLong(Signal::atNanos));
    private final List<CapturedStream> capturing = new ArrayList<>();
    private final List<InputFeed> feeding = new ArrayList<>();
    /** Reaped children whose outcome waits for their capture pipes' end of file. */
    private final List<OwnedChild> draining = new ArrayList<>();
    private final List<OwnedChild> watching = new ArrayList<>();
    private final Orphans orphans = new Orphans();
    private final Pointer readBuffer;
    private final Pointer siginfo;
    private Pointer pollfds;
    private int pollCapacity;
    private boolean stopSignalsSent;
    /** The process groups signalled at stop: their orphans are waited for before the loop ends. */
    private final java.util.Set<Integer> stoppedGroups = new java.util.HashSet<>();
    private long stopDeadline = Long.MAX_VALUE;

    /** Starts the reaper: loads libc, hooks SIGCHLD and starts the loop thread. */
    public Reaper(Settings settings, Log log) {
        this(Posix.load(), settings, log);
    }

    Reaper(Posix posix, Settings settings, Log log) {
        this.posix = posix;
        this.log = log;
        this.programs = ProgramPath.of(settings.trustedDirectories());
        this.sweepNanos = settings.sweepInterval().toNanos();
        this.readBuffer = posix.allocate(READ_BUFFER);
        this.siginfo = posix.allocateSiginfo();
        try {
            int[] wake = posix.pipe();
            this.wakeRead = wake[0];
            this.wakeWrite = wake[1];
        } catch (SpawnFailure e) {
            throw new IllegalStateException("cannot create the reaper's wake-up pipe: " + e.getMessage());
        }
        posix.nonBlocking(wakeWrite);
        this.wakeByte = posix.allocate(1);

        this.subreaperBefore = posix.childSubreaper();
        becomeSubreaper(settings.childSubreaper());

        if (!posix.closesInheritedDescriptors()) {
            log.warn("this glibc has no posix_spawn_file_actions_addclosefrom_np (2.34+): children inherit"
                    + " any descriptor the agent opened without close-on-exec");
        }

        AtomicInteger completionThreads = new AtomicInteger();
        this.completions = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 5, TimeUnit.SECONDS, new SynchronousQueue<>(),
                r -> {
                    Thread t = new Thread(r, "somnus-reaper-outcome-" + completionThreads.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        this.sigchld = SigChld.install(() -> {
            childSignalled = true;
            wake();
        });
        this.loop = new Thread(this::run, "somnus-reaper");
        this.loop.setDaemon(true);
        this.loop.start();
    }

    /** Applies a new configuration to future spawns (the running children are not touched). */
    public void update(Settings settings) {
        this.programs = ProgramPath.of(settings.trustedDirectories());
        this.sweepNanos = settings.sweepInterval().toNanos();
        if (settings.childSubreaper() != subreaper) {
            becomeSubreaper(settings.childSubreaper());
        }
    }

    private void becomeSubreaper(boolean on) {
        int errno = posix.setChildSubreaper(on);
        if (errno != 0 && on) {
            log.warn("cannot become a child subreaper, orphaned grandchildren go to init: " + Posix.describe(errno));
        }
        subreaper = on && errno == 0;
    }

    @Override
    public ChildProcess spawn(ChildSpec spec) {
        List<String> argv = spec.argv();
        String path;
        try {
            path = spec.isHostChosen() ? hostChosen(spec) : programs.resolve(argv.get(0));
        } catch (SpawnFailure notFound) {
            return ChildProcess.notStarted(argv, notFound.errno(), notFound.getMessage());
        }
        List<String> executed = new ArrayList<>(argv);
        executed.set(0, path);

        stopLock.readLock().lock();
        try {
            if (stopping) {
                return ChildProcess.notStarted(executed, -1, "the child-process service has stopped");
            }
            // A host-chosen program gets argv[0] as the host gave it, as with qemu-ga.
            return start(path, executed, spec.isHostChosen() ? argv : executed, spec);
        } finally {
            stopLock.readLock().unlock();
        }
    }

    /**
     * The host's program, found as qemu-ga finds it and run even where the trust check would
     * refuse it; the warning leaves a trace of what the host ran from where.
     */
    private String hostChosen(ChildSpec spec) throws SpawnFailure {
        String path = ProgramPath.resolveHostChosen(spec.argv().get(0),
                spec.environmentEntries().orElse(null));
        String problem = ProgramPath.tamperingOf(java.nio.file.Path.of(path));
        if (problem != null && !problem.equals(Posix.describe(Posix.ENOENT))) {
            log.warn("running the host-chosen program " + path + ", which the trust check would refuse: " + problem);
        }
        return path;
    }

    private ChildProcess start(String path, List<String> argv, List<String> childArgv, ChildSpec spec) {
        int[] inPipe = null;
        int[] outPipe = null;
        int[] errPipe = null;
        try {
            if (spec.stdin() == ChildSpec.Stdio.INPUT) {
                inPipe = posix.inputPipe();
            }
            if (spec.stdout() == ChildSpec.Stdio.CAPTURE) {
                outPipe = posix.pipe();
            }
            if (spec.stderr() == ChildSpec.Stdio.CAPTURE) {
                errPipe = posix.pipe();
            }
            int[] stdio = {
                inPipe != null ? inPipe[0] : stdioTarget(spec.stdin(), null),
                stdioTarget(spec.stdout(), outPipe),
                spec.stderr() == ChildSpec.Stdio.SAME_AS_STDOUT ? Posix.STDIO_SAME_AS_STDOUT
                        : stdioTarget(spec.stderr(), errPipe),
            };
            List<String> environment = spec.environmentEntries().orElse(INHERITED_ENVIRONMENT);
            String cwd = spec.workingDirectory().map(Object::toString).orElse(null);

            Instant started = Instant.now();
            long startNanos = System.nanoTime();
            int pid = posix.spawn(path, childArgv, environment, cwd, stdio);

            InputFeed feed = null;
            if (inPipe != null) {
                feed = new InputFeed(inPipe[1], spec.input().orElse(new byte[0]));
                posix.close(inPipe[0]); // the child's copy is its stdin; ours would hide EPIPE
                inPipe = null; // the feed owns the write end now
            }
            OwnedChild child = new OwnedChild(this, pid, argv, spec,
                    outPipe == null ? null : new CapturedStream(outPipe[0], spec.outputCap()),
                    errPipe == null ? null : new CapturedStream(errPipe[0], spec.outputCap()), feed, started,
                    startNanos);
            owned.put(pid, child);
            arrivals.add(child);
            wake();
            return child;
        } catch (SpawnFailure failure) {
            closeReadEnd(inPipe);
            closeWriteEnd(inPipe);
            closeReadEnd(outPipe);
            closeReadEnd(errPipe);
            return ChildProcess.notStarted(argv, failure.errno(), failure.getMessage());
        } catch (RuntimeException | LinkageError unexpected) {
            // The contract: start failures complete the outcome, they are not thrown.
            closeReadEnd(inPipe);
            closeWriteEnd(inPipe);
            closeReadEnd(outPipe);
            closeReadEnd(errPipe);
            log.error("spawning " + argv + " failed", unexpected);
            return ChildProcess.notStarted(argv, -1, unexpected.toString());
        } finally {
            // The child holds its own copies of the write ends; ours would keep the pipes from
            // ever reaching end of file.
            closeWriteEnd(outPipe);
            closeWriteEnd(errPipe);
        }
    }

    /** {@code NAME=value} strings, as execve takes them. */
    private static List<String> entries(Map<String, String> environment) {
        List<String> entries = new ArrayList<>(environment.size());
        for (Map.Entry<String, String> entry : environment.entrySet()) {
            entries.add(entry.getKey() + "=" + entry.getValue());
        }
        return List.copyOf(entries);
    }

    private static int stdioTarget(ChildSpec.Stdio stdio, int[] pipe) {
        switch (stdio) {
            case INHERIT:
                return Posix.STDIO_INHERIT;
            case CAPTURE:
                return pipe[1];
            case NULL:
            default:
                return Posix.STDIO_DEV_NULL;
        }
    }

    private void closeReadEnd(int[] pipe) {
        if (pipe != null) {
            posix.close(pipe[0]);
        }
    }

    private void closeWriteEnd(int[] pipe) {
        if (pipe != null) {
            posix.close(pipe[1]);
        }
    }

    void cancel(OwnedChild child) {
        cancels.add(child);
        wake();
    }

    @Override
    public List<LiveChild> live() {
        List<LiveChild> list = new ArrayList<>();
        for (OwnedChild child : owned.values()) {
            list.add(child.snapshot());
        }
        list.sort(Comparator.comparing(LiveChild::started).thenComparingLong(LiveChild::pid));
        return list;
    }

    /** The trusted directories programs are looked up in. */
    public List<java.nio.file.Path> trustedDirectories() {
        return programs.directories();
    }

    /**
     * Stops the reaper: every running child gets SIGTERM, then SIGKILL after its grace period,
     * and is reaped — except a child whose spec survives the stop ({@link ChildSpec#survivesStop()},
     * a shutdown helper handing the request on), which is let go of at once, unsignalled and
     * unreaped, its outcome {@code RELEASED}; then the loop ends, SIGCHLD and the subreaper flag are put back as they were
     * and every descriptor and thread is released. Spawns after this fail to start.
     */
    @Override
    public void close() {
        stopLock.writeLock().lock();
        try {
            if (stopping) {
                return;
            }
            stopping = true;
        } finally {
            stopLock.writeLock().unlock();
        }
        wake();
        // The descriptors below are closed only once the loop has ended, so wait for it even
        // when interrupted (it ends by itself: every child is SIGKILLed by the deadline).
        boolean interrupted = false;
        while (loop.isAlive()) {
            try {
                loop.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        sigchld.uninstall();
        if (subreaperBefore != null) {
            posix.setChildSubreaper(subreaperBefore);
        }
        synchronized (wakeLock) {
            wakeClosed = true;
            posix.close(wakeRead);
            posix.close(wakeWrite);
        }
        completions.shutdown();
        try {
            completions.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Wakes the loop; safe from any thread, including the SIGCHLD handler's. */
    private void wake() {
        synchronized (wakeLock) {
            if (!wakeClosed) {
                wakeByte.putByte(0, (byte) 1);
                posix.write(wakeWrite, wakeByte, 1); // a full pipe already holds a wake-up
            }
        }
    }

    // ---- the loop ------------------------------------------------------------------------

    private void run() {
        long nextSweep = System.nanoTime() + sweepNanos;
        while (true) {
            try {
                long now = System.nanoTime();
                admitArrivals(now);
                handleCancels(now);
                if (stopping && !stopSignalsSent) {
                    terminateAll(now);
                }
                sendDueSignals(now);
                reapExited();
                if (childSignalled) {
                    childSignalled = false;
                    nextSweep = now;
                }
                if (now - nextSweep >= 0) {
                    // A zombie the sweep saw but left to the JDK's waiter is looked at again
                    // after the orphans' patience, even if no SIGCHLD comes (one did for it).
                    nextSweep = now + (sweep() ? Math.min(sweepNanos, Orphans.PATIENCE_NANOS) : sweepNanos);
                }
                finishDraining(false);
                if (stopping && owned.isEmpty() && arrivals.isEmpty()
                        && !Orphans.groupMembersRemain(stoppedGroups)) {
                    finishDraining(true);
                    return;
                }
                if (stopping && now - stopDeadline > 0) {
                    abandonUnreaped();
                    finishDraining(true);
                    return;
                }
                waitForWork(pollTimeoutMillis(now, nextSweep));
            } catch (RuntimeException | Error e) {
                log.error("the reaper loop failed; it carries on", e);
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /**
     * At stop, children still there long after SIGKILL (stuck in the kernel, say) are given up
     * on, so nobody waits forever for their outcome: it reads as killed by SIGKILL, which is what
     * will end them. They stay zombies until the agent exits.
     */
    private void abandonUnreaped() {
        log.warn("children still not reaped " + STOP_MARGIN_NANOS / 1_000_000_000 + " s after SIGKILL, giving up on"
                + " them: " + owned.keySet());
        for (OwnedChild child : owned.values()) {
            unwatch(child);
            var outcome = child.reap(Posix.SIGKILL, posix, readBuffer, READ_BUFFER);
            child.complete(outcome);
        }
        owned.clear();
    }

    private void admitArrivals(long now) {
        OwnedChild child;
        while ((child = arrivals.poll()) != null) {
            if (child.reaped()) {
                // It is in `owned` before it arrives here, so a peek between its spawn and this
                // admission may have reaped it already: its pid may be someone else's by now.
                // Its pipes still need reading if it waits for their end of file (draining).
                capturing.addAll(child.openStreams());
                continue;
            }
            capturing.addAll(child.openStreams());
            child.inputFeed().filter(InputFeed::isOpen).ifPresent(feeding::add);
            orphans.childStarted(child.intPid());
            if (watching.size() < MAX_PIDFDS) {
                // The pid cannot have been reused: it is ours and not reaped yet.
                int pidfd = posix.pidfdOpen(child.intPid());
                if (pidfd >= 0) {
                    child.pidfd(pidfd);
                    watching.add(child);
                }
            }
            if (stopping && stopSignalsSent && child.survivesStop()) {
                release(child);
            } else if (stopping && stopSignalsSent && !child.terminating()) {
                terminate(child, now, false);
            } else {
                OwnedChild c = child;
                child.timeout().ifPresent(t -> signals.add(new Signal(c.startNanos() + t.toNanos(), c, Posix.SIGTERM,
                        true)));
            }
            // Its SIGCHLD may have come before it was registered.
            reapIfExited(child);
        }
    }

    private void handleCancels(long now) {
        OwnedChild child;
        while ((child = cancels.poll()) != null) {
            if (!child.reaped() && !child.released() && !child.terminating()) {
                terminate(child, now, false);
            }
        }
    }

    private void terminateAll(long now) {
        stopSignalsSent = true;
        long longestGrace = 0;
        for (OwnedChild child : owned.values()) {
            if (child.survivesStop()) {
                release(child);
                continue;
            }
            stoppedGroups.add(child.intPid());
            if (!child.terminating()) {
                terminate(child, now, false);
            }
            longestGrace = Math.max(longestGrace, child.killGrace().toNanos());
        }
        stopDeadline = now + longestGrace + STOP_MARGIN_NANOS;
    }

    /**
     * Lets go of a child exempt from the stop: no signal, no more waiting; it is no longer owned, so
     * the loop may end while it runs. Its session is remembered as a reaped child's is, so a zombie
     * of it still seen before the loop ends is reaped; once the agent is gone, init reaps it.
     */
    private void release(OwnedChild child) {
        unwatch(child);
        owned.remove(child.intPid());
        orphans.childReaped(child.intPid(), System.nanoTime());
        child.complete(child.release());
        log.warn("left " + child.argv() + " (pid " + child.intPid() + ") running at stop: its spec survives the"
                + " agent's stop");
    }

    /** SIGTERM now, SIGKILL after the grace period. */
    private void terminate(OwnedChild child, long now, boolean timeout) {
        signal(child, Posix.SIGTERM, timeout);
        signals.add(new Signal(now + child.killGrace().toNanos(), child, Posix.SIGKILL, timeout));
    }

    private void sendDueSignals(long now) {
        while (!signals.isEmpty() && signals.peek().atNanos() - now <= 0) {
            Signal due = signals.poll();
            OwnedChild child = due.child();
            if (child.released()) {
                continue;
            }
            if (child.reaped()) {
                if (due.signal() == Posix.SIGKILL) {
                    // The leader died of SIGTERM, but members of its group that ignored it
                    // still get their SIGKILL. The group id cannot have been reused: the kernel
                    // keeps a pid while it names a live process group.
                    posix.kill(-child.intPid(), Posix.SIGKILL);
                }
                continue;
            }
            if (due.signal() == Posix.SIGTERM) {
                if (!child.terminating()) {
                    terminate(child, now, due.timeout());
                }
            } else {
                signal(child, due.signal(), due.timeout());
            }
        }
    }

    /**
     * Signals the child's process group: the child leads a session of its own, so helpers it
     * started (a pm-utils hook, say) are stopped with it unless they left the group.
     */
    private void signal(OwnedChild child, int signal, boolean timeout) {
        child.signalSent(signal, timeout);
        if (posix.kill(-child.intPid(), signal) == Posix.ESRCH) {
            posix.kill(child.intPid(), signal);
        }
    }

    /**
     * Reaps every owned child that has exited. Peeks with waitid(WNOWAIT) and reaps the peeked pid
     * when it is ours, or an orphan from one of our children's sessions: one syscall pair per
     * exit. Any other zombie (a java.lang.Process child about to be collected by the JDK, or an
     * orphan awaiting the sweep) hides the rest from the peek, so then every owned pid is tried in
     * turn.
     */
    private void reapExited() {
        while (true) {
            int pid = posix.peekExited(siginfo);
            if (pid <= 0) {
                return;
            }
            OwnedChild child = owned.get(pid);
            boolean reaped = child != null ? reapIfExited(child)
                    : orphans.inOurSessions(pid) && reapOrphan(pid);
            if (!reaped) {
                reapAllOwned();
                return;
            }
        }
    }

    /** Reaps a child that is not ours to report on, discarding its status. */
    private boolean reapOrphan(int pid) {
        try {
            return posix.reapIfExited(pid) != -1;
        } catch (IllegalStateException alreadyGone) {
            return false;
        }
    }

    private void reapAllOwned() {
        for (OwnedChild child : owned.values()) {
            reapIfExited(child);
        }
    }

    /** @return whether the child was reaped now */
    private boolean reapIfExited(OwnedChild child) {
        if (child.reaped()) {
            return false;
        }
        int status;
        try {
            status = posix.reapIfExited(child.intPid());
        } catch (IllegalStateException notOurs) {
            // ECHILD: someone called waitpid(-1) and stole it; the status is lost.
            log.warn("child " + child.intPid() + " was reaped behind the reaper's back: " + notOurs.getMessage());
            status = Posix.SIGKILL; // a raw wait status meaning "killed by SIGKILL": never success
        }
        if (status == -1) {
            return false;
        }
        unwatch(child);
        if (child.waitsForEndOfOutput() && child.readOpenStreams(posix, readBuffer, READ_BUFFER)) {
            // Reaped (its pid is free), but a grandchild still holds a capture pipe open: the
            // outcome waits for end of file there (ChildSpec.withCaptureToEndOfFile).
            child.exitStatus(status, posix);
            owned.remove(child.intPid());
            orphans.childReaped(child.intPid(), System.nanoTime());
            draining.add(child);
            return true;
        }
        var outcome = child.reap(status, posix, readBuffer, READ_BUFFER);
        owned.remove(child.intPid());
        orphans.childReaped(child.intPid(), System.nanoTime());
        child.complete(outcome);
        return true;
    }

    /**
     * Completes the reaped children whose capture pipes have all reached end of file, or all of
     * them at stop (with what they captured so far).
     */
    private void finishDraining(boolean all) {
        for (var it = draining.iterator(); it.hasNext();) {
            OwnedChild child = it.next();
            if (all || child.openStreams().isEmpty()) {
                it.remove();
                child.complete(child.reap(child.exitStatus(), posix, readBuffer, READ_BUFFER));
            }
        }
    }

    /**
     * Where stages chained on an outcome run: the completion pool, never the loop thread. Once the
     * reaper has stopped (the pool is shut down), in the thread that chains them, so an outcome
     * asked for after stop still completes normally.
     */
    Executor callbacks() {
        return callbacks;
    }

    private void runCallback(Runnable task) {
        try {
            completions.execute(task);
        } catch (RejectedExecutionException stopped) {
            task.run();
        }
    }

    private void unwatch(OwnedChild child) {
        if (child.pidfd() >= 0) {
            posix.close(child.pidfd());
            child.pidfd(-1);
            watching.remove(child);
        }
    }

    /** @return whether a zombie was left for a later sweep */
    private boolean sweep() {
        reapAllOwned();
        long now = System.nanoTime();
        if (posix.peekExited(siginfo) <= 0) {
            // No child of the agent is a zombie, so the walk could find nothing to reap: skip it.
            // ProcessHandle.children() reads /proc/<pid>/stat of every process on the machine, a
            // few milliseconds of CPU each second of an idle agent's life otherwise.
            orphans.noZombies(now);
            return false;
        }
        // Also with the subreaper switched off: orphans inherited while it was on still need it.
        for (int orphan : orphans.sweep(owned::containsKey, now)) {
            reapOrphan(orphan);
        }
        return orphans.waiting();
    }

    private int pollTimeoutMillis(long now, long nextSweep) {
        long until = nextSweep;
        if (!signals.isEmpty()) {
            until = Math.min(until, signals.peek().atNanos());
        }
        if (stopping) {
            until = Math.min(until, stopDeadline);
        }
        long nanos = Math.max(0, until - now);
        return (int) Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(nanos + 999_999));
    }

    /**
     * poll(2) on the wake-up pipe, every open capture pipe, every stdin pipe still being fed and
     * every watched child's pidfd; reads whatever arrived, writes what the stdin pipes take, and
     * reaps the children whose pidfd became readable.
     */
    private void waitForWork(int timeoutMillis) {
        capturing.removeIf(s -> !s.isOpen());
        feeding.removeIf(f -> !f.isOpen());
        int streams = capturing.size();
        int feeds = feeding.size();
        int count = 1 + streams + feeds + watching.size();
        if (count > pollCapacity) {
            pollCapacity = Math.max(count, pollCapacity * 2);
            pollfds = posix.allocate(8L * pollCapacity);
        }
        // struct pollfd { int fd; short events; short revents; }
        putPollFd(0, wakeRead, Posix.POLLIN);
        for (int i = 0; i < streams; i++) {
            putPollFd(1 + i, capturing.get(i).fd(), Posix.POLLIN);
        }
        for (int i = 0; i < feeds; i++) {
            putPollFd(1 + streams + i, feeding.get(i).fd(), Posix.POLLOUT);
        }
        int pidfdsFrom = 1 + streams + feeds;
        for (int i = 0; i < watching.size(); i++) {
            putPollFd(pidfdsFrom + i, watching.get(i).pidfd(), Posix.POLLIN);
        }
        int ready = posix.poll(pollfds, count, timeoutMillis);
        if (ready <= 0) {
            return; // timeout, or EINTR
        }
        if (pollfds.getShort(6) != 0) {
            drainWakePipe();
        }
        for (int i = 0; i < streams; i++) {
            if (pollfds.getShort(8L * (1 + i) + 6) != 0) {
                capturing.get(i).readAvailable(posix, readBuffer, READ_BUFFER);
            }
        }
        for (int i = 0; i < feeds; i++) {
            if (pollfds.getShort(8L * (1 + streams + i) + 6) != 0) {
                // POLLERR when the child closed its end: the write then fails with EPIPE and the feed closes
                feeding.get(i).writeAvailable(posix, readBuffer, READ_BUFFER);
            }
        }
        List<OwnedChild> exited = null;
        for (int i = 0; i < count - pidfdsFrom; i++) {
            if (pollfds.getShort(8L * (pidfdsFrom + i) + 6) != 0) {
                if (exited == null) {
                    exited = new ArrayList<>();
                }
                exited.add(watching.get(i));
            }
        }
        if (exited != null) {
            exited.forEach(this::reapIfExited);
        }
    }

    private void putPollFd(int index, int fd, short events) {
        pollfds.putInt(8L * index, fd);
        pollfds.putShort(8L * index + 4, events);
        pollfds.putShort(8L * index + 6, (short) 0);
    }

    private void drainWakePipe() {
        while (posix.read(wakeRead, readBuffer, READ_BUFFER) > 0) {
            // wake-ups merge
        }
    }
}
