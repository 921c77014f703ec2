package dev.somnus.runtime.dispatch;

import dev.somnus.runtime.protocol.ReplySink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** A {@link ReplySink} that keeps every byte, and marks flushes with "|" in {@link #withFlushes()}. */
final class Transcript implements ReplySink {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final StringBuilder withFlushes = new StringBuilder();
    int flushes;
    IOException failWrites;

    @Override
    public void write(byte[] b, int offset, int length) throws IOException {
        if (failWrites != null) {
            throw failWrites;
        }
        bytes.write(b, offset, length);
        withFlushes.append(new String(b, offset, length, StandardCharsets.ISO_8859_1));
    }

    @Override
    public void flush() throws IOException {
        if (failWrites != null) {
            throw failWrites;
        }
        flushes++;
        withFlushes.append('|');
    }

    /** The bytes as a string of chars 0-255. */
    String text() {
        return bytes.toString(StandardCharsets.ISO_8859_1);
    }

    String withFlushes() {
        return withFlushes.toString();
    }

    void clear() {
        bytes.reset();
        withFlushes.setLength(0);
        flushes = 0;
    }
}
