package dev.somnus.runtime.channel;

import java.io.IOException;
import java.util.function.BooleanSupplier;

import org.osgi.service.log.Logger;

import dev.somnus.runtime.protocol.ProtocolSession;
import dev.somnus.runtime.protocol.QgaProtocol;

/**
 * One protocol session over one byte stream, driven strictly sequentially on the channel thread:
 * read a chunk, let the session handle every message it completes, send all replies in one write.
 */
final class Conversation {

    /** qemu-ga's QGA_READ_COUNT_DEFAULT (§1.1). */
    static final int READ_COUNT = 4096;

    private final HostStream stream;
    private final BufferedReplySink sink;
    private final ProtocolSession session;

    Conversation(HostStream stream, QgaProtocol protocol, String peer) {
        this.stream = stream;
        this.sink = new BufferedReplySink(stream);
        this.session = protocol.openSession(sink, peer);
    }

    /**
     * Serves the stream until the peer closes it (returns) or reading or writing fails (throws).
     */
    void run() throws IOException {
        byte[] chunk = new byte[READ_COUNT];
        for (;;) {
            int n = stream.read(chunk);
            if (n < 0) {
                return;
            }
            session.receive(chunk, 0, n);
            // The session flushes when it is done; flushing again costs nothing and also surfaces
            // a write failure the session might have swallowed.
            sink.flush();
        }
    }

    /**
     * Serves one client of a listening channel until it closes the connection. A read or write error
     * ends only this client's connection: qemu-ga 7.2 exits when a client goes away without reading
     * its replies, we keep listening (deliberate fix).
     *
     * @param stopping tells whether an error came from the channel being stopped
     * @return false if the channel is being stopped, true to accept the next client
     */
    static boolean serveClient(HostStream stream, QgaProtocol protocol, String peer, Logger logger,
            BooleanSupplier stopping) {
        logger.debug("client connected: " + peer);
        try {
            new Conversation(stream, protocol, peer).run();
            logger.debug("received EOF from " + peer);
            return true;
        } catch (IOException | RuntimeException e) {
            if (stopping.getAsBoolean()) {
                return false;
            }
            logger.info("connection of " + peer + " ended: " + describe(e));
            return true;
        }
    }

    /** An I/O error by its text (strerror for native calls), anything else with its type. */
    static String describe(Exception e) {
        return e instanceof IOException && e.getMessage() != null ? e.getMessage() : e.toString();
    }
}
