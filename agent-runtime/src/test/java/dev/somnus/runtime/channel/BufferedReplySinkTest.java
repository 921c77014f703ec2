package dev.somnus.runtime.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class BufferedReplySinkTest {

    /** Records every write the sink makes to the stream. */
    static final class WriteLog implements HostStream {
        final List<String> writes = new ArrayList<>();
        IOException failure;

        @Override
        public int read(byte[] buffer) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void writeFully(byte[] bytes, int offset, int length) throws IOException {
            if (failure != null) {
                throw failure;
            }
            writes.add(new String(bytes, offset, length, StandardCharsets.ISO_8859_1));
        }
    }

    private static void write(BufferedReplySink sink, String text) throws IOException {
        byte[] bytes = ("xx" + text + "yy").getBytes(StandardCharsets.ISO_8859_1);
        sink.write(bytes, 2, bytes.length - 4);
    }

    @Test
    void sendsAllRepliesOfABatchWithOneWriteOnFlush() throws IOException {
        WriteLog stream = new WriteLog();
        BufferedReplySink sink = new BufferedReplySink(stream);

        write(sink, "{\"return\": {}}\n");
        write(sink, "\u00ff{\"return\": 42}\n");
        write(sink, "{\"return\": 7}\n");
        assertThat(stream.writes).isEmpty();
        sink.flush();

        assertThat(stream.writes).containsExactly("{\"return\": {}}\n\u00ff{\"return\": 42}\n{\"return\": 7}\n");
    }

    @Test
    void flushWithNothingPendingWritesNothing() throws IOException {
        WriteLog stream = new WriteLog();
        BufferedReplySink sink = new BufferedReplySink(stream);

        sink.flush();
        write(sink, "a\n");
        sink.flush();
        sink.flush();

        assertThat(stream.writes).containsExactly("a\n");
    }

    @Test
    void keepsRepliesLargerThanItsBufferWhole() throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        HostStream stream = new HostStream() {
            @Override
            public int read(byte[] buffer) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void writeFully(byte[] bytes, int offset, int length) {
                received.write(bytes, offset, length);
            }
        };
        BufferedReplySink sink = new BufferedReplySink(stream);
        byte[] big = new byte[3 << 20];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) i;
        }

        sink.write(big, 0, 100);
        sink.write(big, 100, big.length - 100);
        sink.flush();
        sink.write(big, 5, 10);
        sink.flush();

        byte[] expected = new byte[big.length + 10];
        System.arraycopy(big, 0, expected, 0, big.length);
        System.arraycopy(big, 5, expected, big.length, 10);
        assertThat(received.toByteArray()).isEqualTo(expected);
    }

    @Test
    void staysFailedOnceTheStreamBroke() throws IOException {
        WriteLog stream = new WriteLog();
        BufferedReplySink sink = new BufferedReplySink(stream);
        IOException broken = new IOException("Broken pipe");
        stream.failure = broken;

        write(sink, "a\n");
        assertThatThrownBy(sink::flush).isSameAs(broken);
        stream.failure = null;

        assertThatThrownBy(() -> write(sink, "b\n")).isSameAs(broken);
        assertThatThrownBy(sink::flush).isSameAs(broken);
        assertThat(stream.writes).isEmpty();
    }

    @Test
    void rejectsARangeOutsideTheArray() {
        BufferedReplySink sink = new BufferedReplySink(new WriteLog());

        assertThatThrownBy(() -> sink.write(new byte[4], 2, 3)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
