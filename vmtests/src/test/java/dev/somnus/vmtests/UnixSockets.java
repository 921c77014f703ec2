package dev.somnus.vmtests;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Connecting to the sockets QEMU listens on (QMP and the agent's chardev). */
final class UnixSockets {

    private UnixSockets() {
    }

    /**
     * Connects once QEMU has created the socket; fails at once if QEMU exits first (its output
     * then says why), or after the timeout.
     */
    static SocketChannel connect(Path socket, Process qemu, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        IOException last = null;
        while (System.nanoTime() < deadline) {
            if (!qemu.isAlive()) {
                throw new AssertionError("QEMU exited with status " + qemu.exitValue() + " before " + socket + " accepted a connection");
            }
            if (Files.exists(socket)) {
                SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                try {
                    channel.connect(UnixDomainSocketAddress.of(socket));
                    return channel;
                } catch (IOException e) {
                    channel.close();
                    last = e;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("cannot connect to " + socket + " within " + timeout.toSeconds() + " s"
                + (last == null ? " (it never appeared)" : ": " + last.getMessage()));
    }
}
