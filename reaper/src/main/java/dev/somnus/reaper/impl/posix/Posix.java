package dev.somnus.reaper.impl.posix;

import java.util.List;

import jnr.constants.platform.Errno;
import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Platform;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.byref.IntByReference;

/**
 * The reaper's window on libc: {@code posix_spawn} with the attributes every child gets, waiting,
 * signalling and raw descriptors. Linux only (the constants are the Linux x86_64/aarch64 ones).
 */
public final class Posix {

    public static final int SIGKILL = 9;
    public static final int SIGTERM = 15;

    public static final int EINTR = 4;
    public static final int EAGAIN = 11;
    public static final int ECHILD = 10;
    public static final int ESRCH = 3;
    public static final int ENOENT = 2;
    public static final int EACCES = 13;
    public static final int EPIPE = 32;

    public static final int WNOHANG = 1;
    static final int WEXITED = 4;
    static final int WNOWAIT = 0x0100_0000;
    static final int P_ALL = 0;

    static final int O_RDONLY = 0;
    static final int O_WRONLY = 1;
    static final int O_NONBLOCK = 0x800;
    static final int O_CLOEXEC = 0x80000;
    static final int F_GETFL = 3;
    static final int F_SETFL = 4;

    public static final short POLLIN = 0x1;
    public static final short POLLOUT = 0x4;

    static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    /** glibc 2.26: the child calls setsid() before exec. */
    static final short POSIX_SPAWN_SETSID = 0x80;

    static final int PR_SET_CHILD_SUBREAPER = 36;
    static final int PR_GET_CHILD_SUBREAPER = 37;

    /** Where a child's standard stream goes: /dev/null, the agent's own, or a descriptor of ours. */
    public static final int STDIO_DEV_NULL = -1;
    public static final int STDIO_INHERIT = -2;
    /** For stderr only: the descriptor stdout was given (one shared pipe, qemu-ga 8.0's "merged"). */
    public static final int STDIO_SAME_AS_STDOUT = -3;

    // glibc's posix_spawn_file_actions_t is 80 bytes, posix_spawnattr_t 336, sigset_t 128 (x86_64
    // and aarch64); allocate with room to spare.
    private static final int FILE_ACTIONS_SIZE = 256;
    private static final int SPAWNATTR_SIZE = 1024;
    private static final int SIGSET_SIZE = 128;
    private static final int SIGINFO_SIZE = 128;
    private static final int SIGINFO_PID_OFFSET = 16;

    private final LibC libc;
    private final Runtime runtime;
    private final boolean closeFromAvailable;

    private Posix(LibC libc) {
        this.libc = libc;
        this.runtime = Runtime.getRuntime(libc);
        this.closeFromAvailable = probeCloseFrom();
    }

    /** Loads libc through jnr-ffi. */
    public static Posix load() {
        String name = Platform.getNativePlatform().getStandardCLibraryName();
        return new Posix(LibraryLoader.create(LibC.class).load(name));
    }

    public int errno() {
        return LastError.getLastError(runtime);
    }

    /** The English text of an errno, as strerror gives it in the C locale. */
    public static String describe(int errno) {
        Errno e = Errno.valueOf(errno);
        return e == null || e == Errno.__UNKNOWN_CONSTANT__ ? "Unknown error " + errno : e.description();
    }

    public int getpid() {
        return libc.getpid();
    }

    /**
     * Starts a child with posix_spawn: a new session, every signal at its default disposition,
     * an empty signal mask, descriptors 0-2 as given and (glibc 2.34+) every other descriptor
     * closed, whatever its close-on-exec flag.
     *
     * @param path absolute path of the program
     * @param stdio three entries: {@link #STDIO_DEV_NULL}, {@link #STDIO_INHERIT} or a descriptor to
     *        duplicate onto 0, 1 or 2
     * @param workingDirectory the child's working directory, or null for the agent's
     * @return the child's pid
     * @throws SpawnFailure with the error number when the program could not be started
     */
    public int spawn(String path, List<String> argv, List<String> environment, String workingDirectory, int[] stdio)
            throws SpawnFailure {
        long capacity = NativeBlock.sizeOf(FILE_ACTIONS_SIZE) + NativeBlock.sizeOf(SPAWNATTR_SIZE)
                + 2 * NativeBlock.sizeOf(SIGSET_SIZE) + NativeBlock.sizeOf(path) + NativeBlock.sizeOf("/dev/null")
                + (workingDirectory == null ? 0 : NativeBlock.sizeOf(workingDirectory))
                + NativeBlock.sizeOf(argv) + NativeBlock.sizeOf(environment);
        try (NativeBlock block = new NativeBlock(runtime, capacity)) {
            Pointer fileActions = block.reserve(FILE_ACTIONS_SIZE);
            Pointer attr = block.reserve(SPAWNATTR_SIZE);
            Pointer defaultSignals = block.reserve(SIGSET_SIZE);
            Pointer emptyMask = block.reserve(SIGSET_SIZE);
            Pointer nativePath = block.string(path);
            Pointer devNull = block.string("/dev/null");
            Pointer cwd = workingDirectory == null ? null : block.string(workingDirectory);
            Pointer nativeArgv = block.stringArray(argv);
            Pointer nativeEnv = block.stringArray(environment);

            check(libc.posix_spawn_file_actions_init(fileActions), "posix_spawn_file_actions_init");
            try {
                check(libc.posix_spawnattr_init(attr), "posix_spawnattr_init");
                try {
                    for (int fd = 0; fd < 3; fd++) {
                        if (stdio[fd] == STDIO_DEV_NULL) {
                            check(libc.posix_spawn_file_actions_addopen(fileActions, fd, devNull,
                                    fd == 0 ? O_RDONLY : O_WRONLY, 0), "addopen");
                        } else if (stdio[fd] == STDIO_SAME_AS_STDOUT && fd == 2) {
                            // the file actions run in order: descriptor 1 is already in place
                            check(libc.posix_spawn_file_actions_adddup2(fileActions, 1, 2), "adddup2");
                        } else if (stdio[fd] >= 0) {
                            check(libc.posix_spawn_file_actions_adddup2(fileActions, stdio[fd], fd), "adddup2");
                        }
                    }
                    if (closeFromAvailable) {
                        check(libc.posix_spawn_file_actions_addclosefrom_np(fileActions, 3), "addclosefrom_np");
                    }
                    if (cwd != null) {
                        check(libc.posix_spawn_file_actions_addchdir_np(fileActions, cwd), "addchdir_np");
                    }
                    libc.sigfillset(defaultSignals);
                    libc.sigemptyset(emptyMask);
                    check(libc.posix_spawnattr_setsigdefault(attr, defaultSignals), "setsigdefault");
                    check(libc.posix_spawnattr_setsigmask(attr, emptyMask), "setsigmask");
                    check(libc.posix_spawnattr_setflags(attr,
                            (short) (POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)),
                            "setflags");

                    IntByReference pid = new IntByReference();
                    int error = libc.posix_spawn(pid, nativePath, fileActions, attr, nativeArgv, nativeEnv);
                    if (error != 0) {
                        throw new SpawnFailure(error);
                    }
                    return pid.intValue();
                } finally {
                    libc.posix_spawnattr_destroy(attr);
                }
            } finally {
                libc.posix_spawn_file_actions_destroy(fileActions);
            }
        }
    }

    private static void check(int error, String what) throws SpawnFailure {
        if (error != 0) {
            throw new SpawnFailure(error);
        }
    }

    /**
     * One non-blocking wait for a specific pid.
     *
     * @return the raw wait status, or -1 while the child still runs
     * @throws IllegalStateException when pid is not (or no longer) our child
     */
    public int reapIfExited(int pid) {
        IntByReference status = new IntByReference();
        while (true) {
            int r = libc.waitpid(pid, status, WNOHANG);
            if (r == pid) {
                return status.intValue();
            }
            if (r == 0) {
                return -1;
            }
            int errno = errno();
            if (errno != EINTR) {
                throw new IllegalStateException("waitpid(" + pid + "): " + describe(errno));
            }
        }
    }

    /**
     * The pid of one child that has exited and not been waited for, without reaping it
     * ({@code waitid(P_ALL, WEXITED | WNOHANG | WNOWAIT)}), or 0 when there is none.
     */
    public int peekExited(Pointer siginfo) {
        siginfo.setMemory(0, SIGINFO_SIZE, (byte) 0);
        int r = libc.waitid(P_ALL, 0, siginfo, WEXITED | WNOHANG | WNOWAIT);
        return r == 0 ? siginfo.getInt(SIGINFO_PID_OFFSET) : 0;
    }

    public Pointer allocateSiginfo() {
        return Memory.allocateDirect(runtime, SIGINFO_SIZE, true);
    }

    /** pidfd_open's number: one table for every architecture since Linux 5.1. */
    private static final long SYS_PIDFD_OPEN = 434;

    /**
     * A descriptor that polls readable once the child has exited (pidfd_open(2), Linux 5.3;
     * always close-on-exec), so the loop learns of the exit from the kernel directly instead of
     * through SIGCHLD, which the JVM hands to a freshly started thread per delivery.
     *
     * @return the descriptor, or -1 when the kernel cannot give one (then SIGCHLD still serves)
     */
    public int pidfdOpen(int pid) {
        long fd = libc.syscall(SYS_PIDFD_OPEN, pid, 0);
        return fd < 0 ? -1 : (int) fd;
    }

    /** @return 0, or the errno */
    public int kill(int pid, int signal) {
        return libc.kill(pid, signal) == 0 ? 0 : errno();
    }

    /** @return whether this process is a child subreaper, or null when that cannot be read */
    public Boolean childSubreaper() {
        Pointer flag = Memory.allocateDirect(runtime, 4, true);
        return libc.prctl(PR_GET_CHILD_SUBREAPER, flag.address(), 0, 0, 0) == 0 ? flag.getInt(0) != 0 : null;
    }

    /** @return 0, or the errno */
    public int setChildSubreaper(boolean on) {
        return libc.prctl(PR_SET_CHILD_SUBREAPER, on ? 1 : 0, 0, 0, 0) == 0 ? 0 : errno();
    }

    /**
     * A close-on-exec pipe whose read end is non-blocking.
     *
     * @return {read end, write end}
     */
    public int[] pipe() throws SpawnFailure {
        int[] fds = new int[2];
        if (libc.pipe2(fds, O_CLOEXEC) != 0) {
            throw new SpawnFailure(errno());
        }
        int flags = libc.fcntl(fds[0], F_GETFL, 0);
        libc.fcntl(fds[0], F_SETFL, flags | O_NONBLOCK);
        return fds;
    }

    /**
     * A close-on-exec pipe whose write end is non-blocking: the child reads the read end as its
     * stdin, the reaper's loop feeds the write end as the child reads.
     *
     * @return {read end, write end}
     */
    public int[] inputPipe() throws SpawnFailure {
        int[] fds = new int[2];
        if (libc.pipe2(fds, O_CLOEXEC) != 0) {
            throw new SpawnFailure(errno());
        }
        nonBlocking(fds[1]);
        return fds;
    }

    /** Makes a descriptor non-blocking (for the write end of a wake-up pipe). */
    public void nonBlocking(int fd) {
        int flags = libc.fcntl(fd, F_GETFL, 0);
        libc.fcntl(fd, F_SETFL, flags | O_NONBLOCK);
    }

    public int close(int fd) {
        return libc.close(fd);
    }

    /** @return bytes read, 0 at end of file, or -errno */
    public long read(int fd, Pointer buffer, long size) {
        long n = libc.read(fd, buffer, size);
        return n >= 0 ? n : -errno();
    }

    /** @return bytes written, or -errno */
    public long write(int fd, Pointer buffer, long size) {
        long n = libc.write(fd, buffer, size);
        return n >= 0 ? n : -errno();
    }

    /** @return the number of ready entries, or -errno */
    public int poll(Pointer pollfds, int count, int timeoutMillis) {
        int n = libc.poll(pollfds, count, timeoutMillis);
        return n >= 0 ? n : -errno();
    }

    public Pointer allocate(long bytes) {
        return Memory.allocateDirect(runtime, bytes, true);
    }

    public static boolean exited(int status) {
        return (status & 0x7f) == 0;
    }

    public static int exitCode(int status) {
        return (status >> 8) & 0xff;
    }

    public static boolean signalled(int status) {
        int sig = status & 0x7f;
        return sig != 0 && sig != 0x7f;
    }

    public static int termSignal(int status) {
        return status & 0x7f;
    }

    /** Whether every descriptor above 2 is closed in the child even without close-on-exec. */
    public boolean closesInheritedDescriptors() {
        return closeFromAvailable;
    }

    private boolean probeCloseFrom() {
        Pointer fileActions = Memory.allocateDirect(runtime, FILE_ACTIONS_SIZE, true);
        libc.posix_spawn_file_actions_init(fileActions);
        try {
            return libc.posix_spawn_file_actions_addclosefrom_np(fileActions, 3) == 0;
        } catch (UnsatisfiedLinkError olderGlibc) {
            return false;
        } finally {
            libc.posix_spawn_file_actions_destroy(fileActions);
        }
    }
}
