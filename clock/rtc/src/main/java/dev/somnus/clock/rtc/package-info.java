/**
 * The RTC clock provider, for guests without hwclock: RTC_SET_TIME (mode {@code set}) and
 * RTC_RD_TIME plus the {@link dev.somnus.clock.SystemClock} (mode {@code sync}) on the configured
 * device, the RTC kept in UTC ({@link dev.somnus.clock.rtc.RtcMethod}). The ioctls are behind
 * {@link dev.somnus.clock.rtc.RtcDevice}, real in {@link dev.somnus.clock.rtc.IoctlRtcDevice}
 * (jnr-ffi), fake in the tests; a plain file configured as the device answers ENOTTY, which is how
 * the end-to-end tests keep it harmless. PID {@code dev.somnus.clock.rtc}, base rank 100.
 */
package dev.somnus.clock.rtc;
