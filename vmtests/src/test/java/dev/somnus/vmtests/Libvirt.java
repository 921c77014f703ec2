package dev.somnus.vmtests;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A libvirtd of the tests' own (libvirtd-private.sh: a private mount namespace, so the host's
 * configuration is untouched) and virsh against it, the way an administrator drives a guest.
 */
final class Libvirt implements AutoCloseable {

    /** What a virsh run printed and how it ended. */
    record Result(int status, String out, String err) {

        boolean ok() {
            return status == 0;
        }

        @Override
        public String toString() {
            return "status " + status + ", stdout [" + out.strip() + "], stderr [" + err.strip() + "]";
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process daemon;
    private final Path root;
    private final String uri;

    private Libvirt(Process daemon, Path root) {
        this.daemon = daemon;
        this.root = root;
        this.uri = "qemu:///system?socket=" + root.resolve("run/libvirt-sock");
    }

    /** Starts the daemon and waits until virsh reaches it; skips with the reason if it cannot run here. */
    static Libvirt start(Path script, Path root) throws Exception {
        if (!GuestImage.onPath("qemu-system-x86_64")) {
            GuestImage.unmet("qemu-system-x86_64 is not installed (Debian package qemu-system-x86)");
        }
        // libvirtd-private.sh checks root, libvirtd, virsh and unshare, and exits 3 with the reason.
        Guest.deleteTree(root);
        Files.createDirectories(root);
        Path log = root.resolve("libvirtd.log");
        Process daemon = new ProcessBuilder(script.toString(), root.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Libvirt libvirt = new Libvirt(daemon, root);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!daemon.isAlive()) {
                String output = Files.readString(log, StandardCharsets.UTF_8).strip();
                if (daemon.exitValue() == 3) {
                    GuestImage.unmet(output);
                }
                throw new AssertionError("libvirtd exited with status " + daemon.exitValue() + ":\n" + output);
            }
            if (Files.exists(root.resolve("run/libvirt-sock")) && libvirt.virsh(Duration.ofSeconds(20), "version").ok()) {
                return libvirt;
            }
            Thread.sleep(200);
        }
        libvirt.close();
        throw new AssertionError("libvirtd did not answer within 60 s; see " + log);
    }

    Result virsh(Duration timeout, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("virsh", "-c", uri));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(root, "virsh", ".out");
        Path err = Files.createTempFile(root, "virsh", ".err");
        try {
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError("virsh " + String.join(" ", args) + " did not finish within " + timeout.toSeconds() + " s");
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** virsh qemu-agent-command: libvirt does its own guest-sync and drops the id from the reply. */
    AgentCalls agent(String domain) {
        return (command, arguments, timeout) -> {
            ObjectNode request = JSON.createObjectNode().put("execute", command);
            if (arguments != null) {
                request.set("arguments", arguments);
            }
            Result r = virsh(timeout.plusSeconds(10), "qemu-agent-command", domain, JSON.writeValueAsString(request),
                    "--timeout", Long.toString(timeout.toSeconds()));
            if (!r.ok()) {
                ObjectNode error = JSON.createObjectNode();
                error.putObject("error").put("class", "virsh").put("desc", r.err().strip());
                return new AgentChannel.Reply(error, false);
            }
            return new AgentChannel.Reply(JSON.readTree(r.out()), false);
        };
    }

    /** The domain's state and reason, e.g. "running (booted)" or "shut off (shutdown)". */
    String state(String domain) throws IOException, InterruptedException {
        return virsh(Duration.ofSeconds(20), "domstate", domain, "--reason").out().strip();
    }

    Path domainLog(String domain) {
        return root.resolve("log/qemu/" + domain + ".log");
    }

    @Override
    public void close() throws InterruptedException {
        daemon.destroy();
        if (!daemon.waitFor(20, TimeUnit.SECONDS)) {
            daemon.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
