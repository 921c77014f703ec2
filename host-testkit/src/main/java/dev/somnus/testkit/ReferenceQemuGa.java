package dev.somnus.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The live qemu-ga 7.2 (Debian's {@code /usr/sbin/qemu-ga}, which {@code .ci/run} installs) as the
 * reference a differential test compares Somnus with, on this machine. It runs on a unix socket,
 * state folder and log of its own in a test's folder, and only the commands the test names are
 * enabled: every other command qemu-ga knows is blocked with {@code -b}, so a reference that is
 * only meant to read (osinfo, interfaces, fsinfo...) can never suspend, shut down, set the clock
 * or freeze anything here, whatever a test sends it (DEVELOPERS.md, SAFETY). Stopped with SIGTERM.
 */
public final class ReferenceQemuGa implements AutoCloseable {

    public static final Path QEMU_GA = Path.of("/usr/sbin/qemu-ga");

    /** Commands that may never be enabled on this machine, whatever a test asks. */
    private static final Set<String> ACTING = Set.of("guest-shutdown", "guest-suspend-disk", "guest-suspend-ram",
            "guest-suspend-hybrid", "guest-set-time", "guest-fsfreeze-freeze", "guest-fsfreeze-freeze-list",
            "guest-fsfreeze-thaw", "guest-fstrim", "guest-set-user-password", "guest-set-vcpus",
            "guest-set-memory-blocks", "guest-ssh-add-authorized-keys", "guest-ssh-remove-authorized-keys");

    private final Process process;
    private final Path socket;

    private ReferenceQemuGa(Process process, Path socket) {
        this.process = process;
        this.socket = socket;
    }

    /** Whether the reference is installed here; a differential test runs only where it is. */
    public static boolean installed() {
        return Files.isExecutable(QEMU_GA);
    }

    /**
     * Starts qemu-ga in {@code dir} with only {@code enabled} (and the protocol's own commands) left
     * enabled.
     *
     * @throws IllegalArgumentException when {@code enabled} names a command that acts on the machine
     */
    public static ReferenceQemuGa start(Path dir, List<String> enabled) throws IOException, InterruptedException {
        for (String name : enabled) {
            if (ACTING.contains(name)) {
                throw new IllegalArgumentException(name + " acts on this machine: never enable it in the reference");
            }
        }
        Files.createDirectories(dir);
        Process help = new ProcessBuilder(QEMU_GA.toString(), "-b", "help").redirectErrorStream(true).start();
        List<String> all = new String(help.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).lines()
                .map(String::trim).filter(name -> !name.isEmpty()).collect(Collectors.toList());
        help.waitFor();
        if (!all.contains("guest-shutdown")) {
            throw new IOException("qemu-ga -b help did not list its commands: " + all);
        }
        Set<String> keep = new java.util.HashSet<>(enabled);
        keep.addAll(List.of("guest-ping", "guest-sync", "guest-sync-delimited", "guest-info"));
        String blocked = all.stream().filter(name -> !keep.contains(name)).collect(Collectors.joining(","));
        Path socket = dir.resolve("qemu-ga.sock");
        ProcessBuilder builder = new ProcessBuilder(QEMU_GA.toString(), "-m", "unix-listen", "-p", socket.toString(),
                "-t", dir.toString(), "-l", dir.resolve("qemu-ga.log").toString(), "-b", blocked);
        // no /etc/qemu/qemu-ga.conf of this machine's may change what it does
        builder.environment().put("QGA_CONF", dir.resolve("no-such.conf").toString());
        builder.redirectErrorStream(true).redirectOutput(dir.resolve("qemu-ga.out").toFile());
        return new ReferenceQemuGa(builder.start(), socket);
    }

    /** A host connection to the reference, synchronised (§1.5) and ready for calls. */
    public QgaClient connect() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                QgaClient client = QgaClient.connect(socket, Duration.ofSeconds(5));
                client.sync();
                return client;
            } catch (IOException e) {
                // qemu-ga creates the socket file in bind() and only then listens
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IOException("the reference qemu-ga did not answer on " + socket
                            + (process.isAlive() ? "" : " (it exited with " + process.exitValue() + ")"), e);
                }
                Thread.sleep(20);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
