/**
 * The hwclock clock provider: {@code hwclock -w} for mode {@code set} and {@code hwclock -s} for
 * mode {@code sync}, what qemu-ga 7.2 runs ({@link dev.somnus.clock.hwclock.HwclockMethod}), run
 * through the reaper with a timeout; one Provider service per mode
 * ({@link dev.somnus.clock.hwclock.HwclockProvider}, PID {@code dev.somnus.clock.hwclock}, base rank 200).
 */
package dev.somnus.clock.hwclock;
