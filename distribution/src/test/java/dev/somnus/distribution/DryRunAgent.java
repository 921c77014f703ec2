package dev.somnus.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A private copy of the built distribution whose suspend providers all point at fakes, run as a
 * process with --dry-run on a unix socket. Safe by construction, twice over: --dry-run never lets an
 * action run, and the copy's conf/ makes the reaper trust only {@code fakebin/}, leaves only the
 * systemd provider enabled, with systemctl a script that logs its argv to {@code calls} and never
 * touches the machine, and points every /proc, /sys and /run path at empty folders.
 *
 * <p>The fake systemctl reads {@code mode}: empty or missing, {@code status} exits 3 (known unit,
 * inactive: available); {@code hang}, it writes its pid to {@code hung.pid} and sleeps; {@code kill},
 * it kills itself with SIGKILL.
 */
final class DryRunAgent implements AutoCloseable {

    /** Generous: a loaded 2-core CI machine may take seconds to start a JVM and Felix. */
    static final long BOUND_MILLIS = 60_000;

    private static final Path BUILT = Path.of(System.getProperty("somnus.dist", "target/somnus-ga"));

    final Path root;
    final Path dist;
    final Path fakebin;
    final Path calls;
    final Path socket;
    final Path pidFile;
    final Path logFile;
    private Process process;

    DryRunAgent(Path tmp) throws IOException {
        root = tmp;
        dist = copy(BUILT, tmp.resolve("somnus-ga"));
        fakebin = Files.createDirectories(tmp.resolve("fakebin"));
        calls = tmp.resolve("calls");
        socket = tmp.resolve("agent.sock");
        pidFile = tmp.resolve("agent.pid");
        logFile = tmp.resolve("agent.log");
        Path systemctl = fakebin.resolve("systemctl");
        Files.writeString(systemctl, "#!/bin/sh\n"
                + "# a stand-in for systemctl: records its argv, never touches the machine\n"
                + "echo \"$*\" >> '" + calls + "'\n"
                + "mode=$(cat '" + tmp.resolve("mode") + "' 2>/dev/null || true)\n"
                + "case \"$1:$mode\" in\n"
                + "  status:hang) echo $$ > '" + tmp.resolve("hung.pid") + "'; exec sleep 600 ;;\n"
                + "  status:kill) kill -KILL $$ ;;\n"
                + "  status:*) exit 3 ;;\n"
                + "esac\n"
                + "exit 0\n");
        Files.setPosixFilePermissions(systemctl, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(tmp.resolve("run/systemd/system"));
        Files.createDirectories(tmp.resolve("proc"));
        Files.createDirectories(tmp.resolve("sys"));
        configure(5);
    }

    /** Rewrites conf/ of the copy (read by fileinstall at start and while running). */
    void configure(int probeTimeoutSeconds) throws IOException {
        Path conf = dist.resolve("conf");
        write(conf.resolve("dev.somnus.reaper.cfg"), Map.of("trusted.directories", fakebin.toString()));
        write(conf.resolve("dev.somnus.suspend.systemd.cfg"), Map.of("systemctl", "systemctl",
                "runDir", root.resolve("run/systemd/system").toString(), "probeIntervalSeconds", "0",
                "probeTimeoutSeconds", Integer.toString(probeTimeoutSeconds)));
        write(conf.resolve("dev.somnus.suspend.pmutils.cfg"), Map.of("enabled", "false"));
        write(conf.resolve("dev.somnus.suspend.sysfs.cfg"), Map.of("enabled", "false",
                "root", root.resolve("sys/power").toString()));
        write(conf.resolve("dev.somnus.suspend.cfg"), Map.of("staleAfterSeconds", "0",
                "procRoot", root.resolve("proc").toString(), "sysRoot", root.resolve("sys").toString()));
    }

    private static void write(Path file, Map<String, String> values) throws IOException {
        StringBuilder text = new StringBuilder("# written by the test\n");
        values.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
        Files.writeString(file, text);
    }

    void mode(String mode) throws IOException {
        Files.writeString(root.resolve("mode"), mode + "\n");
    }

    /** Starts bin/somnus-ga --dry-run on the unix socket, logging to {@code agent.log} unless {@code -l} is given. */
    DryRunAgent start(String... extra) throws IOException {
        return startOn("unix-listen", socket, extra);
    }

    /** Like {@link #start}, on another channel ({@code -m method -p path}). */
    DryRunAgent startOn(String method, Path path, String... extra) throws IOException {
        List<String> command = new ArrayList<>(List.of(dist.resolve("bin/somnus-ga").toString(), "--dry-run",
                "-m", method, "-p", path.toString(), "-t", root.resolve("state").toString(),
                "-f", pidFile.toString()));
        if (!List.of(extra).contains("-l")) {
            command.addAll(List.of("-l", logFile.toString()));
        }
        command.addAll(List.of(extra));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(root.resolve("agent.out").toFile())
                .redirectError(root.resolve("agent.err").toFile());
        builder.environment().put("QGA_CONF", root.resolve("no-qemu-ga.conf").toString());
        process = builder.start();
        return this;
    }

    Process process() {
        return process;
    }

    /** How many lines of the log contain {@code text}. */
    long logLines(String text) {
        return log().lines().filter(line -> line.contains(text)).count();
    }

    String log() {
        return readOrEmpty(logFile) + readOrEmpty(root.resolve("agent.err"));
    }

    /** Waits for the socket. */
    DryRunAgent awaitSocket() throws InterruptedException {
        await("socket created", () -> Files.exists(socket));
        return this;
    }

    /**
     * Waits until the copy's configuration is in force: twice in a row, guest-suspend-ram probed
     * through the fake systemctl (found only in fakebin/, and only with staleAfterSeconds=0) and
     * would then run the systemd provider. Until then a request could meet a default setting: each
     * configuration arrives on its own.
     */
    DryRunAgent awaitFakes() throws Exception {
        awaitSocket();
        int[] passes = {0};
        await("the fake systemctl in use", () -> {
            try {
                forgetCalls();
                boolean pass = request("{\"execute\":\"guest-suspend-ram\"}").contains("would run provider systemd: exec systemctl")
                        && calls().contains("status systemd-suspend");
                passes[0] = pass ? passes[0] + 1 : 0;
                return passes[0] >= 2;
            } catch (IOException e) {
                return false;
            }
        });
        return this;
    }

    void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BOUND_MILLIS);
        while (!condition.getAsBoolean()) {
            assertThat(process.isAlive()).as("agent alive while waiting for %s; log: %s", what, log()).isTrue();
            assertThat(System.nanoTime()).as("%s in time; log: %s", what, log()).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /** One request on a fresh connection; the first reply line. */
    String request(String json) throws IOException {
        try (SocketChannel client = connect()) {
            send(client, json);
            return readLine(client, BOUND_MILLIS);
        }
    }

    SocketChannel connect() throws IOException {
        return SocketChannel.open(UnixDomainSocketAddress.of(socket));
    }

    static void send(SocketChannel client, String text) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            client.write(bytes);
        }
    }

    /** Reads up to and including the next '\n' (returned without it), or null at EOF. */
    static String readLine(SocketChannel client, long timeoutMillis) throws IOException {
        StringBuilder line = new StringBuilder();
        client.configureBlocking(false);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        ByteBuffer one = ByteBuffer.allocate(1);
        try (Selector selector = Selector.open()) {
            client.register(selector, SelectionKey.OP_READ);
            for (;;) {
                one.clear();
                int count = client.read(one);
                if (count < 0) {
                    return line.length() == 0 ? null : line.toString();
                }
                if (count == 0) {
                    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    assertThat(left).as("a reply in time; so far: %s", line).isPositive();
                    selector.select(left);
                    continue;
                }
                char c = (char) (one.get(0) & 0xFF);
                if (c == '\n') {
                    return line.toString();
                }
                line.append(c);
            }
        }
    }

    /** SIGTERM, then the exit status. */
    int stop() throws InterruptedException {
        process.destroy();
        return exitStatus();
    }

    int exitStatus() throws InterruptedException {
        assertThat(process.waitFor(BOUND_MILLIS, TimeUnit.MILLISECONDS)).as("agent ended; log: %s", log()).isTrue();
        return process.exitValue();
    }

    /** How the agent names this test's JVM as a unix-listen peer (SO_PEERCRED). */
    static String thisPeer() throws IOException {
        Path self = Path.of("/proc/self");
        return "unix uid=" + Files.getAttribute(self, "unix:uid") + " gid=" + Files.getAttribute(self, "unix:gid")
                + " pid=" + ProcessHandle.current().pid();
    }

    List<String> calls() {
        String text = readOrEmpty(calls);
        return text.isEmpty() ? List.of() : List.of(text.split("\n"));
    }

    void forgetCalls() throws IOException {
        Files.deleteIfExists(calls);
    }

    static String readOrEmpty(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    private static Path copy(Path from, Path to) throws IOException {
        try (var paths = Files.walk(from)) {
            for (Path source : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return to;
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
