import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The floor of a Java guest agent's cold start (vmtests/floor/README.md): the least a JVM must do
 * before it can answer the host, in the Somnus guest image with its JVM options and a CDS archive.
 *
 *   java Floor PORT            open the virtio port, answer every guest-sync-delimited, forever
 *   java Floor --felix PORT    the same after starting a bare Felix framework (no bundles)
 *   java Floor [--felix] --dump    start as above, answer one canned request in memory, exit
 *                              (for -XX:ArchiveClassesAtExit at image-build time)
 *
 * Replies as qemu-ga does to guest-sync-delimited (qga-reference §1.5): 0xFF, then
 * {"return": ID} and a newline. Nothing else of the protocol: this is a yardstick, not an agent.
 */
public final class Floor {

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(-?\\d+)");

    public static void main(String[] args) throws Exception {
        boolean felix = args.length > 0 && args[0].equals("--felix");
        String port = args[args.length - 1];
        if (felix) {
            startFelix();
        }
        if (port.equals("--dump")) {
            byte[] reply = answer("{\"execute\":\"guest-sync-delimited\",\"arguments\":{\"id\":7}}");
            System.out.println(new String(reply, 1, reply.length - 1, StandardCharsets.UTF_8).trim());
            System.exit(0);
        }
        serve(port);
    }

    /** A bare framework, started the way the Somnus launcher starts its own (clean cache). */
    private static void startFelix() throws Exception {
        Iterator<org.osgi.framework.launch.FrameworkFactory> factories =
                ServiceLoader.load(org.osgi.framework.launch.FrameworkFactory.class).iterator();
        Path storage = Files.createTempDirectory("floor-felix");
        org.osgi.framework.launch.Framework framework = factories.next().newFramework(Map.of(
                "org.osgi.framework.storage", storage.toString(),
                "org.osgi.framework.storage.clean", "onFirstInit"));
        framework.init();
        framework.start();
    }

    /** Reads the port byte by byte; a 0xFF or a newline ends a request. EOF: no host yet. */
    private static void serve(String port) throws IOException, InterruptedException {
        try (RandomAccessFile channel = new RandomAccessFile(port, "rw")) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            while (true) {
                int n = channel.read(buffer);
                if (n < 0) {
                    // vm-recipe trap 2: end-of-file while the host side is not connected.
                    Thread.sleep(50);
                    continue;
                }
                for (int i = 0; i < n; i++) {
                    byte b = buffer[i];
                    if (b == (byte) 0xFF || b == '\n') {
                        if (line.size() > 0) {
                            byte[] reply = answer(line.toString(StandardCharsets.UTF_8));
                            if (reply != null) {
                                channel.write(reply);
                            }
                            line.reset();
                        }
                    } else {
                        line.write(b);
                    }
                }
            }
        }
    }

    private static byte[] answer(String request) {
        Matcher id = ID.matcher(request);
        if (!request.contains("guest-sync-delimited") || !id.find()) {
            return null;
        }
        return ("\u00ff{\"return\": " + id.group(1) + "}\n").getBytes(StandardCharsets.ISO_8859_1);
    }
}
