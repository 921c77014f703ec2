package dev.somnus.distribution;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * The host side of a stand-in virtio port: a pseudo terminal in raw mode (a virtio port does no
 * line processing). The agent opens {@link #slavePath}; the test writes requests to and reads
 * replies from the master. Closing the master hangs the slave up: from then on the agent's reads
 * return 0 (EOF) and its writes fail with EIO. Java cannot open a pty itself, hence libc via jnr-ffi
 * (agent-runtime brings it along).
 */
final class HostPty implements AutoCloseable {

    /** libc calls the test needs (public for jnr-ffi). */
    public interface LibC {
        int posix_openpt(int flags);

        int grantpt(int fd);

        int unlockpt(int fd);

        String ptsname(int fd);

        int tcgetattr(int fd, Pointer termios);

        void cfmakeraw(Pointer termios);

        int tcsetattr(int fd, int when, Pointer termios);

        int poll(Pointer fds, int count, int timeout);

        long read(int fd, Pointer buffer, long count);

        long write(int fd, Pointer buffer, long count);

        int close(int fd);
    }

    private static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
    private static final int O_RDWR = 02;
    private static final int O_NOCTTY = 0400;
    private static final int O_CLOEXEC = 02000000;
    private static final short POLLIN = 1;

    final String slavePath;
    private final int master;
    private final Runtime runtime = Runtime.getRuntime(LIBC);
    private boolean closed;

    HostPty() throws IOException {
        master = LIBC.posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (master < 0 || LIBC.grantpt(master) != 0 || LIBC.unlockpt(master) != 0) {
            throw new IOException("cannot create a pseudo terminal");
        }
        slavePath = LIBC.ptsname(master);
        Pointer termios = Memory.allocateDirect(runtime, 256); // struct termios is 60 bytes on Linux
        if (LIBC.tcgetattr(master, termios) != 0) {
            throw new IOException("tcgetattr failed on " + slavePath);
        }
        LIBC.cfmakeraw(termios);
        if (LIBC.tcsetattr(master, 0, termios) != 0) {
            throw new IOException("tcsetattr failed on " + slavePath);
        }
    }

    void write(String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        Pointer buffer = Memory.allocateDirect(runtime, bytes.length);
        buffer.put(0, bytes, 0, bytes.length);
        long done = 0;
        while (done < bytes.length) {
            long n = LIBC.write(master, buffer.slice(done), bytes.length - done);
            if (n < 0) {
                throw new IOException("write to the pty master failed");
            }
            done += n;
        }
    }

    /** The next line up to '\n' (returned without it), ISO-8859-1 so that 0xFF stays one char. */
    String readLine(long timeoutMillis) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        Pointer pollFd = Memory.allocateDirect(runtime, 8);
        Pointer one = Memory.allocateDirect(runtime, 1);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        for (;;) {
            int left = (int) Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
            pollFd.putInt(0, master);
            pollFd.putShort(4, POLLIN);
            pollFd.putShort(6, (short) 0);
            if (LIBC.poll(pollFd, 1, left) <= 0) {
                throw new AssertionError("no complete line from the agent in time; so far: "
                        + line.toString(StandardCharsets.ISO_8859_1));
            }
            if (LIBC.read(master, one, 1) != 1) {
                throw new IOException("read from the pty master failed");
            }
            byte b = one.getByte(0);
            if (b == '\n') {
                return line.toString(StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
    }

    /** Hangs up the slave side: the agent's descriptor is dead from now on. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            LIBC.close(master);
        }
    }
}
