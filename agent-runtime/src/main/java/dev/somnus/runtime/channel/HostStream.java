package dev.somnus.runtime.channel;

import java.io.IOException;

/** One byte stream to the host: a serial port or one accepted socket connection. */
interface HostStream {

    /**
     * Blocks until bytes arrive and reads at most {@code buffer.length} of them.
     *
     * @return the count read, or -1 when the peer has closed the stream for good
     * @throws java.nio.channels.AsynchronousCloseException when the channel is being stopped
     */
    int read(byte[] buffer) throws IOException;

    /** Writes all bytes, waiting as long as the host needs to take them. */
    void writeFully(byte[] bytes, int offset, int length) throws IOException;
}
