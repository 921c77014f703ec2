package dev.somnus.clock.commands;

import jnr.ffi.Pointer;

/**
 * The libc calls that set the system clock. Public only because jnr-ffi generates the
 * implementation in its own class loader; the package is private to the bundle.
 */
public interface ClockLibC {

    /** settimeofday(2): {@code tv} a struct timeval, {@code tz} null. */
    int settimeofday(Pointer tv, Pointer tz);

    String strerror(int errno);
}
