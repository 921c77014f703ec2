package dev.somnus.runtime.channel;

import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;

import dev.somnus.runtime.protocol.ReplySink;

/**
 * Collects the replies a session writes and sends everything ready with one write on
 * {@link #flush()}: a pipelined batch of requests (several in one read, §1.1) then costs one system
 * call instead of one per reply. Once a write has failed (the client went away) the sink stays
 * failed and every later call throws the same error, so the channel notices the broken stream even
 * if a session chose to swallow the first exception.
 */
final class BufferedReplySink implements ReplySink {

    private static final int INITIAL_CAPACITY = 8192;
    /** A buffer grown beyond this for one huge reply (guest-file-read) is not kept afterwards. */
    private static final int RETAINED_CAPACITY = 1 << 20;

    private final HostStream stream;
    private byte[] buffer = new byte[INITIAL_CAPACITY];
    private int count;
    private IOException failure;

    BufferedReplySink(HostStream stream) {
        this.stream = stream;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        throwIfFailed();
        if (length > buffer.length - count) {
            long needed = (long) count + length;
            if (needed > Integer.MAX_VALUE - 8) {
                throw new IOException("reply too large to buffer: " + needed + " bytes");
            }
            buffer = Arrays.copyOf(buffer, (int) Math.max(needed, Math.min(2L * buffer.length, Integer.MAX_VALUE - 8)));
        }
        System.arraycopy(bytes, offset, buffer, count, length);
        count += length;
    }

    @Override
    public void flush() throws IOException {
        throwIfFailed();
        if (count == 0) {
            return;
        }
        try {
            stream.writeFully(buffer, 0, count);
        } catch (IOException e) {
            failure = e;
            throw e;
        } finally {
            count = 0;
            if (buffer.length > RETAINED_CAPACITY) {
                buffer = new byte[INITIAL_CAPACITY];
            }
        }
    }

    /** Bytes written but not yet flushed. */
    int pending() {
        return count;
    }

    private void throwIfFailed() throws IOException {
        if (failure != null) {
            throw failure;
        }
    }
}
