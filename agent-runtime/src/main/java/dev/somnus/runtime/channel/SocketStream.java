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
        // Blocking mode: returns at least one byte, or -1 when the client has closed.
        return channel.read(ByteBuffer.wrap(buffer));
    }

    @Override
    public void writeFully(byte[] bytes, int offset, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }
}
