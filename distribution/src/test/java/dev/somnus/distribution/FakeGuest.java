package dev.somnus.distribution;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A fake guest for the agent's suspend providers: {@code bin/} holds fake {@code systemctl},
 * {@code pm-is-supported}, {@code pm-hibernate}, {@code pm-suspend} and {@code pm-suspend-hybrid},
 * {@code sys/power/state} stands for /sys/power/state, and {@code run/systemd/system} exists only
 * while systemd is meant to run. Every script appends {@code <name> <args>} to the shared
 * {@code bin/calls.log}, may sleep ({@code <name>.sleep} holds seconds), may kill itself with the
 * signal in {@code <name>.kill}, and exits with the code in
 * {@code <name>.<arg1>.exit}, else {@code <name>.exit}, else 0. The scripts do nothing else: no test
 * can suspend the machine.
 */
final class FakeGuest {

    static final List<String> HELPERS = List.of("systemctl", "pm-is-supported", "pm-hibernate", "pm-suspend",
            "pm-suspend-hybrid");
    private static final String SCRIPT = "#!/bin/sh\n"
            + "d=$(dirname \"$0\"); n=$(basename \"$0\")\n"
            + "echo \"$n $*\" >> \"$d/calls.log\"\n"
            + "if [ -f \"$d/$n.sleep\" ]; then sleep \"$(cat \"$d/$n.sleep\")\"; fi\n"
            + "if [ -f \"$d/$n.kill\" ]; then kill -\"$(cat \"$d/$n.kill\")\" $$; fi\n"
            + "for f in \"$d/$n.$1.exit\" \"$d/$n.exit\"; do\n"
            + "  if [ -f \"$f\" ]; then echo \"fake $n says $(cat \"$f\")\" >&2; exit \"$(cat \"$f\")\"; fi\n"
            + "done\n"
            + "exit 0\n";

    final Path root;
    final Path bin;
    final Path power;

    FakeGuest(Path root) throws IOException {
        this.root = root;
        this.bin = Files.createDirectories(root.resolve("bin"));
        this.power = Files.createDirectories(root.resolve("sys/power"));
        Files.createDirectories(root.resolve("proc"));
        reset();
    }

    /** Back to: every helper installed and saying yes, systemd not running, an empty state file, no calls. */
    FakeGuest reset() throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(bin)) {
            for (Path file : files) {
                Files.delete(file);
            }
        }
        for (String name : HELPERS) {
            Path helper = bin.resolve(name);
            Files.writeString(helper, SCRIPT);
            Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        // a systemd guest's answer to `systemctl status <unit>`: known, inactive
        exit("systemctl", "status", 3);
        Files.deleteIfExists(root.resolve("run/systemd/system"));
        Files.deleteIfExists(power.resolve("disk"));
        state("");
        return this;
    }

    String helper(String name) {
        return bin.resolve(name).toString();
    }

    String runDir() {
        return root.resolve("run/systemd/system").toString();
    }

    FakeGuest systemdRunning() throws IOException {
        Files.createDirectories(root.resolve("run/systemd/system"));
        return this;
    }

    /** pm-utils not installed: its four programs are gone. */
    FakeGuest withoutPmUtils() throws IOException {
        for (String name : HELPERS) {
            if (name.startsWith("pm-")) {
                Files.delete(bin.resolve(name));
            }
        }
        return this;
    }

    FakeGuest state(String offered) throws IOException {
        Files.writeString(power.resolve("state"), offered);
        return this;
    }

    String state() throws IOException {
        return Files.readString(power.resolve("state"));
    }

    /** The fake /sys/power/disk: the hibernation modes, the selected one in brackets. */
    FakeGuest disk(String modes) throws IOException {
        Files.writeString(power.resolve("disk"), modes);
        return this;
    }

    String disk() throws IOException {
        return Files.readString(power.resolve("disk"));
    }

    FakeGuest exit(String name, String arg, int code) throws IOException {
        Files.writeString(bin.resolve(name + "." + arg + ".exit"), Integer.toString(code));
        return this;
    }

    FakeGuest exit(String name, int code) throws IOException {
        Files.writeString(bin.resolve(name + ".exit"), Integer.toString(code));
        return this;
    }

    FakeGuest killedBy(String name, int signal) throws IOException {
        Files.writeString(bin.resolve(name + ".kill"), Integer.toString(signal));
        return this;
    }

    FakeGuest slow(String name, int seconds) throws IOException {
        Files.writeString(bin.resolve(name + ".sleep"), Integer.toString(seconds));
        return this;
    }

    /** Every helper call so far, in order, as {@code <name> <args>}. */
    List<String> calls() {
        try {
            Path log = bin.resolve("calls.log");
            return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8).stream().map(String::strip)
                    .collect(Collectors.toList()) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The calls that were actions, not probes. */
    List<String> actions() {
        return calls().stream().filter(c -> !c.startsWith("pm-is-supported ") && !c.startsWith("systemctl status "))
                .collect(Collectors.toList());
    }

    /**
     * conf/*.cfg for a copy of the distribution: every provider, the preflight and the reaper's
     * trusted directories point into this guest; every request probes afresh.
     */
    void writeConfiguration(Path conf) throws IOException {
        Files.writeString(conf.resolve("dev.somnus.reaper.cfg"), "trusted.directories=" + bin + "\n");
        Files.writeString(conf.resolve("dev.somnus.suspend.cfg"), "staleAfterSeconds=0\nprocRoot=" + root.resolve("proc")
                + "\nsysRoot=" + root.resolve("sys") + "\n");
        Files.writeString(conf.resolve("dev.somnus.suspend.systemd.cfg"), "systemctl=" + helper("systemctl")
                + "\nrunDir=" + runDir() + "\nprobeIntervalSeconds=0\n");
        Files.writeString(conf.resolve("dev.somnus.suspend.pmutils.cfg"), "pmIsSupported=" + helper("pm-is-supported")
                + "\npmHibernate=" + helper("pm-hibernate") + "\npmSuspend=" + helper("pm-suspend")
                + "\npmSuspendHybrid=" + helper("pm-suspend-hybrid") + "\nprobeIntervalSeconds=0\n");
        Files.writeString(conf.resolve("dev.somnus.suspend.sysfs.cfg"), "root=" + power + "\nprobeIntervalSeconds=0\n");
    }
}
