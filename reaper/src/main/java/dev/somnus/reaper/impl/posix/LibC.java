package dev.somnus.reaper.impl.posix;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.IgnoreError;
import jnr.ffi.annotations.Out;
import jnr.ffi.byref.IntByReference;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The few libc functions the reaper calls, bound through jnr-ffi. jnr-posix 3.1.22 wraps
 * {@code posix_spawnp} too, but its wrapper drops the error number (returns -1), refuses signal
 * masks ("sigmask not yet supported") and has no {@code addchdir_np}/{@code addclosefrom_np};
 * this interface binds the glibc functions themselves.
 *
 * <p>The spawn functions return an error number instead of setting errno; the rest set errno,
 * read through {@link Posix#errno()}.
 */
public interface LibC {

    // posix_spawn(3)
    @IgnoreError int posix_spawn(@Out IntByReference pid, Pointer path, Pointer fileActions, Pointer attr,
            Pointer argv, Pointer envp);

    @IgnoreError int posix_spawn_file_actions_init(Pointer fileActions);

    @IgnoreError int posix_spawn_file_actions_destroy(Pointer fileActions);

    @IgnoreError int posix_spawn_file_actions_addopen(Pointer fileActions, int fd, Pointer path, int oflag, int mode);

    @IgnoreError int posix_spawn_file_actions_adddup2(Pointer fileActions, int fd, int newFd);

    /** glibc 2.29. */
    @IgnoreError int posix_spawn_file_actions_addchdir_np(Pointer fileActions, Pointer path);

    /** glibc 2.34. */
    @IgnoreError int posix_spawn_file_actions_addclosefrom_np(Pointer fileActions, int from);

    @IgnoreError int posix_spawnattr_init(Pointer attr);

    @IgnoreError int posix_spawnattr_destroy(Pointer attr);

    @IgnoreError int posix_spawnattr_setflags(Pointer attr, short flags);

    @IgnoreError int posix_spawnattr_setsigmask(Pointer attr, Pointer sigmask);

    @IgnoreError int posix_spawnattr_setsigdefault(Pointer attr, Pointer sigdefault);

    @IgnoreError int sigemptyset(Pointer set);

    @IgnoreError int sigfillset(Pointer set);

    // waiting and signalling
    int waitpid(int pid, @Out IntByReference status, int options);

    int waitid(int idType, int id, Pointer siginfo, int options);

    int kill(int pid, int signal);

    int prctl(int option, long arg2, long arg3, long arg4, long arg5);

    @IgnoreError int getpid();

    // descriptors
    int pipe2(@Out int[] fds, int flags);

    int fcntl(int fd, int cmd, int arg);

    int poll(Pointer fds, @size_t long nfds, int timeoutMillis);

    @ssize_t long read(int fd, Pointer buf, @size_t long count);

    @ssize_t long write(int fd, Pointer buf, @size_t long count);

    int close(int fd);
}
