package dev.somnus.freeze;

import jnr.ffi.Pointer;

/**
 * The libc calls the freeze commands make. Public only because jnr-ffi generates the implementation
 * in its own class loader; the package is private to the bundle.
 */
public interface FreezeLibC {

    int open(String path, int flags);

    /** ioctl is variadic; a pointer argument is passed alike on x86_64 and aarch64 Linux. */
    int ioctl(int fd, long request, Pointer argument);

    int close(int fd);

    String strerror(int errno);
}
