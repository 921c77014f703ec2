package dev.somnus.runtime.channel;

/** Test-only libc calls to create a pseudo terminal pair (public for jnr-ffi). */
public interface PtyLibC {

    int posix_openpt(int flags);

    int grantpt(int fd);

    int unlockpt(int fd);

    String ptsname(int fd);
}
