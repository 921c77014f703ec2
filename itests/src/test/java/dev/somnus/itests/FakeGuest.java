package dev.somnus.itests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A fake guest for the suspend providers: {@code bin/} holds fake {@code systemctl},
 * {@code pm-is-supported}, {@code pm-hibernate}, {@code pm-suspend} and {@code pm-suspend-hybrid}
 * scripts, {@code sys/power/state} a fake sysfs file, and {@code run/systemd/system} exists only
 * when systemd is meant to run. Every script appends {@code <name> <args>} to one shared
 * {@code bin/calls.log} (so the order across providers is visible), may sleep
 * ({@code <name>.sleep} holds seconds) and exits with the code in {@code <name>.<arg1>.exit}, else
 * {@code <name>.exit}, else 0. The scripts do nothing else: no test can suspend the machine.
 */
final class FakeGuest {

    static final List<String> HELPERS = List.of("systemctl", "pm-is-supported", "pm-hibernate", "pm-suspend",
            "pm-suspend-hybrid");

    final Path root;
    final Path bin;
    final Path power;

    FakeGuest(Path root) throws IOException {
        this.root = root;
        this.bin = Files.createDirectories(root.resolve("bin"));
        this.power = Files.createDirectories(root.resolve("sys/power"));
        Files.createDirectories(root.resolve("proc"));
        String script = "#!/bin/sh\n"
                + "d=$(dirname \"$0\"); n=$(basename \"$0\")\n"
                + "echo \"$n $*\" >> \"$d/calls.log\"\n"
                + "if [ -f \"$d/$n.sleep\" ]; then sleep \"$(cat \"$d/$n.sleep\")\"; fi\n"
                + "for f in \"$d/$n.$1.exit\" \"$d/$n.exit\"; do\n"
                + "  if [ -f \"$f\" ]; then echo \"fake $n says $(cat \"$f\")\" >&2; exit \"$(cat \"$f\")\"; fi\n"
                + "done\n"
                + "exit 0\n";
        for (String name : HELPERS) {
            Path helper = bin.resolve(name);
            Files.writeString(helper, script);
            Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        // systemd answers "unit known, inactive" (exit 3), as on a real systemd guest
        exit("systemctl", "status", 3);
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

    FakeGuest state(String offered) throws IOException {
        Files.writeString(power.resolve("state"), offered);
        return this;
    }

    String state() throws IOException {
        return Files.readString(power.resolve("state"));
    }

    /** Calls of {@code name} whose first argument is {@code arg} exit with {@code code}. */
    FakeGuest exit(String name, String arg, int code) throws IOException {
        Files.writeString(bin.resolve(name + "." + arg + ".exit"), Integer.toString(code));
        return this;
    }

    /** Every call of {@code name} exits with {@code code}. */
    FakeGuest exit(String name, int code) throws IOException {
        Files.writeString(bin.resolve(name + ".exit"), Integer.toString(code));
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
            return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The calls that were actions, not probes. */
    List<String> actions() {
        return calls().stream().filter(c -> !c.startsWith("pm-is-supported ") && !c.startsWith("systemctl status "))
                .map(String::strip).collect(Collectors.toList());
    }
}
