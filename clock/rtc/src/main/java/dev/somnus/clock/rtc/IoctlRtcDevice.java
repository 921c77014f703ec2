package dev.somnus.clock.rtc;

import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import jnr.ffi.LibraryLoader;
import jnr.ffi.LibraryOption;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * RTC_RD_TIME and RTC_SET_TIME through jnr-ffi, on a device opened read-only as hwclock opens it
 * (the kernel lets RTC_SET_TIME through a read-only descriptor; it checks CAP_SYS_TIME). A path
 * that is not an RTC (a plain file) answers ENOTTY, {@code Inappropriate ioctl for device}.
 */
final class IoctlRtcDevice implements RtcDevice {

    // Linux values shared by x86_64 and aarch64 (the architectures whose jffi library is embedded)
    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 02000000;
    /** _IOR('p', 0x09, struct rtc_time) and _IOW('p', 0x0a, struct rtc_time), the struct of 9 ints. */
    static final long RTC_RD_TIME = 0x80247009L;
    static final long RTC_SET_TIME = 0x4024700aL;
    static final int RTC_TIME_INTS = 9;
    static final int EINVAL = 22;

    private static final class Binding {
        static final Binding INSTANCE = load();

        final RtcLibC libc;
        final Runtime runtime;
        final Throwable failure;

        private Binding(RtcLibC libc, Throwable failure) {
            this.libc = libc;
            this.runtime = libc == null ? null : Runtime.getRuntime(libc);
            this.failure = failure;
        }

        private static Binding load() {
            try {
                return new Binding(LibraryLoader.create(RtcLibC.class)
                        .option(LibraryOption.SaveError, Boolean.TRUE)
                        .failImmediately()
                        .load("c"), null);
            } catch (LinkageError | RuntimeException e) {
                return new Binding(null, e);
            }
        }
    }

    @Override
    public LocalDateTime read(Path device) throws RtcException {
        Binding binding = binding();
        Pointer tm = Memory.allocateDirect(binding.runtime, RTC_TIME_INTS * Integer.BYTES);
        ioctl(binding, device, RTC_RD_TIME, tm, "RTC_RD_TIME");
        int[] fields = new int[RTC_TIME_INTS];
        tm.get(0, fields, 0, RTC_TIME_INTS);
        try {
            return RtcTime.toDateTime(fields);
        } catch (DateTimeException e) {
            throw new RtcException(EINVAL, "the RTC answered an impossible time (" + e.getMessage() + ")");
        }
    }

    @Override
    public void write(Path device, LocalDateTime time) throws RtcException {
        Binding binding = binding();
        Pointer tm = Memory.allocateDirect(binding.runtime, RTC_TIME_INTS * Integer.BYTES);
        tm.put(0, RtcTime.fields(time), 0, RTC_TIME_INTS);
        ioctl(binding, device, RTC_SET_TIME, tm, "RTC_SET_TIME");
    }

    private static void ioctl(Binding binding, Path device, long request, Pointer tm, String name)
            throws RtcException {
        int fd = binding.libc.open(device.toString(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            int errno = binding.runtime.getLastError();
            throw new RtcException(errno, "cannot open " + device + ": " + binding.libc.strerror(errno));
        }
        try {
            if (binding.libc.ioctl(fd, request, tm) != 0) {
                int errno = binding.runtime.getLastError();
                throw new RtcException(errno, name + " on " + device + " failed: " + binding.libc.strerror(errno));
            }
        } finally {
            binding.libc.close(fd);
        }
    }

    private static Binding binding() throws RtcException {
        Binding binding = Binding.INSTANCE;
        if (binding.libc == null) {
            throw new RtcException(0, "libc could not be bound: " + binding.failure);
        }
        return binding;
    }
}
