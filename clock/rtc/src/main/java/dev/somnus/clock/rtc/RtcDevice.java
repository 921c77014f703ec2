package dev.somnus.clock.rtc;

import java.nio.file.Path;
import java.time.LocalDateTime;

/**
 * The two ioctls of the Linux RTC interface (rtc(4)) the provider makes on a device node: the
 * seam between the provider's logic and the kernel. The real one is {@link IoctlRtcDevice}; tests
 * use a fake that never reaches a device. The times are the RTC's broken-down time (struct
 * rtc_time), which this provider takes as UTC.
 */
interface RtcDevice {

    /** RTC_RD_TIME on {@code device}. */
    LocalDateTime read(Path device) throws RtcException;

    /** RTC_SET_TIME on {@code device}. */
    void write(Path device, LocalDateTime time) throws RtcException;

    /** A refused open or ioctl: the errno and its strerror text (the message). */
    final class RtcException extends Exception {

        private static final long serialVersionUID = 1L;

        private final int errno;

        RtcException(int errno, String message) {
            super(message);
            this.errno = errno;
        }

        int errno() {
            return errno;
        }
    }
}
