/**
 * guest-set-time ({@link dev.somnus.clock.commands.GuestSetTime}) and the real system clock
 * ({@link dev.somnus.clock.commands.LibcSystemClock}). The command checks the request as qemu-ga 7.2
 * does ({@link dev.somnus.clock.commands.RequestedTime}), sets the system clock through the
 * {@link dev.somnus.clock.SystemClock} service and hands the hardware clock to the clock providers
 * (family {@code clock}, modes {@code set} and {@code sync}; see {@link dev.somnus.clock.ClockFamily})
 * through the shared {@code ProviderDispatch}. Configuration: PID {@code dev.somnus.clock}
 * (staleAfterSeconds), PID {@code dev.somnus.clock.system} (the system clock; without it, none).
 *
 * <p>Where this differs from qemu-ga 7.2 (qga/commands-posix.c, qmp_guest_set_time), on purpose:
 * <ul>
 * <li>The RTC step falls through: hwclock first, then the RTC device itself, so a guest without
 * hwclock (BusyBox) still works where qemu-ga answers not supported.</li>
 * <li>When every provider failed the text is qemu-ga's {@code hwclock failed to set hardware clock
 * to system time} followed, in parentheses, by each provider's failure; qemu-ga says only that
 * (and {@code child process has terminated abnormally} for a hwclock killed by a signal).</li>
 * <li>Without a SystemClock service (dev.somnus.clock.system absent or {@code enabled=false}) both
 * modes answer qemu-ga's {@code this feature or command is not currently supported}.</li>
 * <li>{@code Invalid time} carries no {@code : <strerror>}: qemu-ga appends the text of whatever
 * errno the call before left (error_setg_errno with an errno nothing set), which is noise.</li>
 * <li>A negative time with microseconds gets the kernel's answer to qemu-ga's timeval,
 * {@code Failed to set time to guest: Invalid argument}, without asking the kernel.</li>
 * <li>hwclock's availability is probed again (configuration changes, interval, before use);
 * qemu-ga tests {@code access(X_OK)} once per process.</li>
 * </ul>
 */
package dev.somnus.clock.commands;
