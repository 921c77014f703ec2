package dev.somnus.runtime.channel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/** An accepted UNIX-domain connection in blocking mode. */
final class SocketStream implements HostStream {

    private final SocketChannel channel;

    SocketStream(SocketChannel channel) {
        this.channel = channel;
    }

    @Override
    public int read(byte[] buffer) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(buffer);
        int n;
        do {
            n = channel.read(bytes);
        } while (n == 0);
        return n;
    }

    @Override
    public void writeFully(byte[] bytes, int offset, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }
}
