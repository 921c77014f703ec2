package dev.somnus.runtime.channel;

import jnr.ffi.Pointer;

/**
 * Raw mode for isa-serial, as qemu-ga sets it up (qga-reference §2): input processing, flow
 * control, echo, canonical mode and output processing off, 38400 baud, reads return as soon as one
 * byte is there (VMIN=1, VTIME=0), and input pending from before is discarded.
 *
 * <p>One deliberate fix: qemu-ga ORs B38400 into c_cflag without clearing the old speed bits, which
 * turns e.g. B115200 into B4000000; we replace the speed.
 */
final class Termios {

    // struct termios on Linux glibc (x86_64 and aarch64): four tcflag_t, c_line, c_cc[32], then the
    // speeds, which only cfset*speed touch.
    static final int SIZE = 60;
    static final int C_IFLAG = 0;
    static final int C_OFLAG = 4;
    static final int C_CFLAG = 8;
    static final int C_LFLAG = 12;
    static final int C_CC = 17;

    static final int VTIME = 5;
    static final int VMIN = 6;

    static final int IGNBRK = 01, BRKINT = 02, IGNPAR = 04, PARMRK = 010, INPCK = 020, ISTRIP = 040,
            INLCR = 0100, IGNCR = 0200, ICRNL = 0400, IXON = 02000, IXANY = 04000, IXOFF = 010000,
            IMAXBEL = 020000;
    static final int B38400 = 017;

    static final int TCSANOW = 0;
    static final int TCIFLUSH = 0;

    private Termios() {
    }

    static void makeRaw(Posix posix, int fd) throws PosixException {
        Pointer tio = posix.allocate(SIZE);
        posix.tcgetattr(fd, tio);
        int iflag = tio.getInt(C_IFLAG);
        iflag &= ~(IGNBRK | BRKINT | IGNPAR | PARMRK | INPCK | ISTRIP | INLCR | IGNCR | ICRNL
                | IXON | IXOFF | IXANY | IMAXBEL);
        tio.putInt(C_IFLAG, iflag);
        tio.putInt(C_OFLAG, 0);
        tio.putInt(C_LFLAG, 0);
        posix.setSpeed(tio, B38400);
        tio.putByte(C_CC + VMIN, (byte) 1);
        tio.putByte(C_CC + VTIME, (byte) 0);
        // Whatever waits to be read is garbage from before we were listening.
        posix.tcflush(fd, TCIFLUSH);
        posix.tcsetattr(fd, TCSANOW, tio);
    }
}
