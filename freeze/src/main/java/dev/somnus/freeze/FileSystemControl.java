package dev.somnus.freeze;

import java.nio.file.Path;

/**
 * The three ioctls on a mounted file system, each on a descriptor opened {@code O_RDONLY} on its
 * mount point, as qemu-ga makes them ({@code qmp_guest_fsfreeze_do_freeze_list},
 * {@code qmp_guest_fsfreeze_do_thaw}, {@code qmp_guest_fstrim}). {@link NativeFileSystemControl}
 * makes the real calls; tests stand in their own, so no test ever freezes a file system it did not
 * make.
 */
interface FileSystemControl {

    /** How an open or an ioctl failed: the errno and the C library's text for it. */
    record Failure(Step step, int errno, String text) {
    }

    /** Where a call failed: opening the mount point, or the ioctl itself. */
    enum Step {
        OPEN,
        IOCTL
    }

    /** What FITRIM answered: the bytes trimmed and the minimum extent the file system used. */
    record Trimmed(long trimmed, long minimum) {
    }

    int EBUSY = 16;
    int EINVAL = 22;
    int ENOTTY = 25;
    int EOPNOTSUPP = 95;

    /** FIFREEZE; null when the file system is now frozen. */
    Failure freeze(Path mountpoint);

    /**
     * FITHAW, again and again until it fails (one FITHAW undoes one FIFREEZE).
     *
     * @return how many calls succeeded, or -1 when the mount point could not be opened
     */
    int thaw(Path mountpoint);

    /**
     * FITRIM of the whole file system ({@code start} 0, {@code len} all ones) with the given
     * {@code minlen}.
     *
     * @return {@link Trimmed} or {@link Failure}
     */
    Object trim(Path mountpoint, long minimum);
}
