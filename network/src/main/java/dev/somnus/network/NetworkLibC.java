package dev.somnus.network;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.Out;
import jnr.ffi.byref.PointerByReference;

/**
 * The libc calls guest-network-get-interfaces makes, as qemu-ga does. Public only because jnr-ffi
 * generates the implementation in its own class loader; the package is private to the bundle.
 */
public interface NetworkLibC {

    int getifaddrs(@Out PointerByReference list);

    void freeifaddrs(Pointer list);

    int socket(int domain, int type, int protocol);

    /** ioctl is variadic; a pointer argument is passed alike on x86_64 and aarch64 Linux. */
    int ioctl(int fd, long request, Pointer argument);

    int close(int fd);

    String strerror(int errno);
}
