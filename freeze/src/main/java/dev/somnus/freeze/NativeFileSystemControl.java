package dev.somnus.freeze;

import java.nio.file.Path;
import jnr.ffi.LibraryLoader;
import jnr.ffi.LibraryOption;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * FIFREEZE, FITHAW and FITRIM through glibc, bound with jnr-ffi on first use (once per class
 * loader). The request numbers are {@code _IOWR('X', 119..121, ...)} from linux/fs.h, the same on
 * x86_64 and aarch64 (the architectures whose jffi library the dev.somnus.jnr bundle embeds).
 */
final class NativeFileSystemControl implements FileSystemControl {

    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 02000000;
    private static final long FIFREEZE = 0xC0045877L;
    private static final long FITHAW = 0xC0045878L;
    private static final long FITRIM = 0xC0185879L;
    /** struct fstrim_range { __u64 start; __u64 len; __u64 minlen; } */
    private static final int FSTRIM_RANGE_SIZE = 24;
    private static final int LEN = 8;
    private static final int MINLEN = 16;

    private static final class Binding {
        static final Binding INSTANCE = load();

        final FreezeLibC libc;
        final Runtime runtime;
        final Throwable failure;

        private Binding(FreezeLibC libc, Throwable failure) {
            this.libc = libc;
            this.runtime = libc == null ? null : Runtime.getRuntime(libc);
            this.failure = failure;
        }

        private static Binding load() {
            try {
                return new Binding(LibraryLoader.create(FreezeLibC.class)
                        .option(LibraryOption.SaveError, Boolean.TRUE)
                        .failImmediately()
                        .load("c"), null);
            } catch (LinkageError | RuntimeException e) {
                return new Binding(null, e);
            }
        }

        static Binding get() {
            if (INSTANCE.libc == null) {
                throw new IllegalStateException("libc could not be bound with jnr-ffi: " + INSTANCE.failure,
                        INSTANCE.failure);
            }
            return INSTANCE;
        }
    }

    @Override
    public Failure freeze(Path mountpoint) {
        int fd = open(mountpoint);
        if (fd < 0) {
            return failure(Step.OPEN);
        }
        try {
            return Binding.get().libc.ioctl(fd, FIFREEZE, null) == -1 ? failure(Step.IOCTL) : null;
        } finally {
            Binding.get().libc.close(fd);
        }
    }

    @Override
    public int thaw(Path mountpoint) {
        int fd = open(mountpoint);
        if (fd < 0) {
            return -1;
        }
        try {
            int thawed = 0;
            while (Binding.get().libc.ioctl(fd, FITHAW, null) == 0) {
                thawed++;
            }
            return thawed;
        } finally {
            Binding.get().libc.close(fd);
        }
    }

    @Override
    public Object trim(Path mountpoint, long minimum) {
        int fd = open(mountpoint);
        if (fd < 0) {
            return failure(Step.OPEN);
        }
        try {
            Pointer range = Memory.allocateDirect(Binding.get().runtime, FSTRIM_RANGE_SIZE);
            range.putLong(0, 0);
            range.putLong(LEN, -1L);
            range.putLong(MINLEN, minimum);
            if (Binding.get().libc.ioctl(fd, FITRIM, range) == -1) {
                return failure(Step.IOCTL);
            }
            return new Trimmed(range.getLong(LEN), range.getLong(MINLEN));
        } finally {
            Binding.get().libc.close(fd);
        }
    }

    private static int open(Path mountpoint) {
        return Binding.get().libc.open(mountpoint.toString(), O_RDONLY | O_CLOEXEC);
    }

    /** Read at once after the failed call, on the same thread (jnr-ffi saved it: SaveError). */
    private static Failure failure(Step step) {
        int errno = Binding.get().runtime.getLastError();
        return new Failure(step, errno, Binding.get().libc.strerror(errno));
    }
}
