import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The floor of bench/footprint.sh: a bare JVM whose only code answers guest-ping on a unix socket,
 * one client at a time, as qemu-ga's unix-listen does. What Somnus costs beyond it is the agent's own.
 */
public final class Floor {
    public static void main(String[] args) throws IOException {
        Path path = Path.of(args[0]);
        Files.deleteIfExists(path);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        byte[] reply = "{\"return\": {}}\n".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer in = ByteBuffer.allocate(4096);
        while (true) {
            try (SocketChannel client = server.accept()) {
                in.clear();
                while (client.read(in) > 0) {
                    for (int i = 0; i < in.position(); i++) {
                        if (in.get(i) == '\n') {
                            client.write(ByteBuffer.wrap(reply));
                            in.clear();
                            break;
                        }
                    }
                }
            }
        }
    }
}
