package dev.somnus.runtime.channel;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;

/**
 * A pseudo terminal standing in for a serial port: the channel opens the slave path as its device,
 * the test plays the host on the master side.
 */
final class Pty implements AutoCloseable {

    private static final PtyLibC PTY = LibraryLoader.create(PtyLibC.class).load("c");

    final Posix posix;
    final int master;
    final String slavePath;
    private final Pointer pollFd;

    Pty() throws IOException {
        posix = Posix.libc();
        master = PTY.posix_openpt(Posix.O_RDWR | Posix.O_NOCTTY | Posix.O_CLOEXEC);
        if (master < 0 || PTY.grantpt(master) != 0 || PTY.unlockpt(master) != 0) {
            throw new IOException("cannot create a pseudo terminal");
        }
        slavePath = PTY.ptsname(master);
        pollFd = posix.allocate(8);
    }

    void write(String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        int done = 0;
        while (done < bytes.length) {
            int n = posix.write(master, bytes, done, bytes.length - done);
            if (n > 0) {
                done += n;
            }
        }
    }

    /** Reads exactly {@code count} bytes, failing if they do not arrive within 20 s. */
    String read(int count) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (received.size() < count) {
            int left = (int) Math.max(0, (deadline - System.nanoTime()) / 1_000_000);
            pollFd.putInt(0, master);
            pollFd.putShort(4, Posix.POLLIN);
            pollFd.putShort(6, (short) 0);
            if (posix.poll(pollFd, 1, left) == 0) {
                throw new AssertionError("expected " + count + " bytes, got only "
                        + received.toString(StandardCharsets.ISO_8859_1));
            }
            byte[] chunk = new byte[Math.min(count - received.size(), 65536)];
            int n = posix.read(master, chunk);
            if (n > 0) {
                received.write(chunk, 0, n);
            }
        }
        return received.toString(StandardCharsets.ISO_8859_1);
    }

    /** The line settings of the pair (the slave's, as the channel left them). */
    Pointer termios() throws IOException {
        Pointer tio = posix.allocate(Termios.SIZE);
        posix.tcgetattr(master, tio);
        return tio;
    }

    @Override
    public void close() {
        posix.close(master);
    }
}
