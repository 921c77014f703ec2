package dev.somnus.runtime.channel;

/** Test-only libc calls (public for jnr-ffi). */
public interface TestLibC {

    int dup2(int fd, int target);
}
