package dev.somnus.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A fake guest for the agent's suspend and shutdown providers and acting families, in a folder of the test's own:
 * <ul>
 * <li>{@code bin/} holds fake {@code systemctl}, {@code pm-is-supported}, {@code pm-hibernate},
 * {@code pm-suspend}, {@code pm-suspend-hybrid}, {@code shutdown} and {@code busybox}, with
 * {@code poweroff}, {@code halt} and {@code reboot} as links to that busybox (as a BusyBox guest
 * installs its applets). Every one appends {@code <name> <args>} to the shared
 * {@code bin/calls.log} (so the order across providers shows; a link logs the name it was called
 * by), may sleep ({@code <name>.sleep} holds seconds; it then first writes its pid to
 * {@code <name>.pid}, and {@code <name>.woke} once the sleep is over), may kill itself with the
 * signal in {@code <name>.kill}, and exits with the code in {@code <name>.<arg1>.exit}, else
 * {@code <name>.exit}, else 0. The scripts do nothing else: no test can suspend or shut down the
 * machine.</li>
 * <li>{@code sys/power/state} and {@code sys/power/disk} stand for /sys/power/state and /disk;</li>
 * <li>{@code bin/chpasswd} is the same kind of fake, for guest-set-user-password: it logs
 * {@code chpasswd <args>} to {@code bin/calls.log}, appends what it reads on stdin to
 * {@code bin/chpasswd.stdin} ({@link #chpasswdInput()}), and changes no password;</li>
 * <li>{@code run/systemd/system} exists only while systemd is meant to run; {@code proc/} is an
 * empty /proc for the preflight.</li>
 * <li>the clock: {@code bin/hwclock} is a fake like the others, {@code dev/rtc0} a plain file (no
 * RTC: the RTC provider's ioctls on it answer ENOTTY), and the agent's own system clock is never
 * the real one — {@link #configuration()} switches the real one off, and a test that wants one
 * brings a fake SystemClock service of its own.</li>
 * </ul>
 * {@link #configuration()} is what points an agent at all this.
 */
public final class FakeGuest {

    public static final List<String> HELPERS = List.of("systemctl", "pm-is-supported", "pm-hibernate", "pm-suspend",
            "pm-suspend-hybrid", "hwclock", "shutdown", "busybox");
    /** BusyBox's shutdown applets, links to the fake {@code busybox}. */
    public static final List<String> BUSYBOX_APPLETS = List.of("poweroff", "halt", "reboot");
    /** The fake chpasswd, beside the suspend helpers in {@code bin/}. */
    public static final String CHPASSWD = "chpasswd";
    private static final String SCRIPT = script("");
    /** chpasswd reads its {@code user:password} lines from stdin: the fake keeps them. */
    private static final String CHPASSWD_SCRIPT = script("cat >> \"$d/$n.stdin\"\n");

    private static String script(String readStdin) {
        return "#!/bin/sh\n"
                + "d=$(dirname \"$0\"); n=$(basename \"$0\")\n"
                + "echo \"$n $*\" >> \"$d/calls.log\"\n"
                + readStdin
                + "if [ -f \"$d/$n.sleep\" ]; then echo $$ > \"$d/$n.pid\"; sleep \"$(cat \"$d/$n.sleep\")\";"
                + " echo $$ > \"$d/$n.woke\"; fi\n"
                + "if [ -f \"$d/$n.kill\" ]; then kill -\"$(cat \"$d/$n.kill\")\" $$; fi\n"
                + "for f in \"$d/$n.$1.exit\" \"$d/$n.exit\"; do\n"
                + "  if [ -f \"$f\" ]; then echo \"fake $n says $(cat \"$f\")\" >&2; exit \"$(cat \"$f\")\"; fi\n"
                + "done\n"
                + "exit 0\n";
    }

    public final Path root;
    public final Path bin;
    public final Path power;

    public FakeGuest(Path root) throws IOException {
        this.root = root;
        this.bin = Files.createDirectories(root.resolve("bin"));
        this.power = Files.createDirectories(root.resolve("sys/power"));
        Files.createDirectories(root.resolve("proc"));
        Files.createDirectories(root.resolve("dev"));
        reset();
    }

    /** Back to: every helper installed and saying yes, systemd not running, an empty state file, no calls. */
    public FakeGuest reset() throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(bin)) {
            for (Path file : files) {
                Files.delete(file);
            }
        }
        for (String name : HELPERS) {
            install(name, SCRIPT);
        }
        install(CHPASSWD, CHPASSWD_SCRIPT);
        for (String applet : BUSYBOX_APPLETS) {
            Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
        }
        // a systemd guest's answer to `systemctl status <unit>`: known, inactive
        exit("systemctl", "status", 3);
        Files.deleteIfExists(root.resolve("run/systemd/system"));
        Files.deleteIfExists(power.resolve("disk"));
        state("");
        Files.writeString(rtc(), "");
        return this;
    }

    /** The fake RTC device: a plain file, which no ioctl can set. */
    public Path rtc() {
        return root.resolve("dev/rtc0");
    }

    /** hwclock not installed (a BusyBox guest without it). */
    public FakeGuest withoutHwclock() throws IOException {
        Files.delete(bin.resolve("hwclock"));
        return this;
    }

    private void install(String name, String script) throws IOException {
        Path helper = bin.resolve(name);
        Files.writeString(helper, script);
        Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** Every byte the fake chpasswd has read on its stdin, all calls in order; empty before the first. */
    public byte[] chpasswdInput() {
        try {
            Path input = bin.resolve(CHPASSWD + ".stdin");
            return Files.exists(input) ? Files.readAllBytes(input) : new byte[0];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String helper(String name) {
        return bin.resolve(name).toString();
    }

    public String runDir() {
        return root.resolve("run/systemd/system").toString();
    }

    public FakeGuest systemdRunning() throws IOException {
        Files.createDirectories(root.resolve("run/systemd/system"));
        return this;
    }

    /** pm-utils not installed: its four programs are gone. */
    public FakeGuest withoutPmUtils() throws IOException {
        for (String name : HELPERS) {
            if (name.startsWith("pm-")) {
                Files.delete(bin.resolve(name));
            }
        }
        return this;
    }

    /** These programs are not installed (e.g. {@code shutdown}, or BusyBox's {@code poweroff}). */
    public FakeGuest without(String... names) throws IOException {
        for (String name : names) {
            Files.deleteIfExists(bin.resolve(name));
        }
        return this;
    }

    /** Whether the latest call of a {@link #slow} helper slept to its end (nobody killed it). */
    public boolean woke(String name) {
        return Files.exists(bin.resolve(name + ".woke"));
    }

    /** The fake /sys/power/state: the sleep states the kernel offers. */
    public FakeGuest state(String offered) throws IOException {
        Files.writeString(power.resolve("state"), offered);
        return this;
    }

    /** What the agent left in the fake /sys/power/state (a suspend through sysfs writes its state). */
    public String state() throws IOException {
        return Files.readString(power.resolve("state"));
    }

    /** The fake /sys/power/disk: the hibernation modes, the selected one in brackets. */
    public FakeGuest disk(String modes) throws IOException {
        Files.writeString(power.resolve("disk"), modes);
        return this;
    }

    public String disk() throws IOException {
        return Files.readString(power.resolve("disk"));
    }

    /** Calls of {@code name} whose first argument is {@code arg} exit with {@code code}. */
    public FakeGuest exit(String name, String arg, int code) throws IOException {
        Files.writeString(bin.resolve(name + "." + arg + ".exit"), Integer.toString(code));
        return this;
    }

    /** Every call of {@code name} exits with {@code code} (unless an argument-specific code says otherwise). */
    public FakeGuest exit(String name, int code) throws IOException {
        Files.writeString(bin.resolve(name + ".exit"), Integer.toString(code));
        return this;
    }

    /** Every call of {@code name} kills itself with {@code signal}, after any sleep. */
    public FakeGuest killedBy(String name, int signal) throws IOException {
        Files.writeString(bin.resolve(name + ".kill"), Integer.toString(signal));
        return this;
    }

    /** Every call of {@code name} sleeps {@code seconds} first (600: a helper that hangs). */
    public FakeGuest slow(String name, int seconds) throws IOException {
        Files.deleteIfExists(bin.resolve(name + ".pid"));
        Files.deleteIfExists(bin.resolve(name + ".woke"));
        Files.writeString(bin.resolve(name + ".sleep"), Integer.toString(seconds));
        return this;
    }

    /**
     * The pid of the latest call of a {@link #slow} helper, once it has begun to sleep: the
     * process the agent has to kill (its sleep runs in the same process group).
     */
    public Optional<Long> sleeper(String name) {
        try {
            String pid = Files.readString(bin.resolve(name + ".pid")).strip();
            return pid.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(pid));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Every helper call so far, in order, as {@code <name> <args>}. */
    public List<String> calls() {
        try {
            Path log = bin.resolve("calls.log");
            return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8).stream().map(String::strip)
                    .collect(Collectors.toList()) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The calls that were actions, not probes (hwclock is never run to probe). */
    public List<String> actions() {
        return calls().stream().filter(c -> !c.startsWith("pm-is-supported ") && !c.startsWith("systemctl status "))
                .collect(Collectors.toList());
    }

    /** Starts the record of calls afresh. */
    public void forgetCalls() throws IOException {
        Files.deleteIfExists(bin.resolve("calls.log"));
    }

    /**
     * The agent's configuration for this guest, by PID (each a fresh, modifiable map): the reaper
     * trusts only {@code bin/}, every provider and the preflight point into this guest (every
     * shutdown helper too, so no test can ever run the real systemctl, shutdown, poweroff, halt or
     * reboot), and every request probes afresh ({@code staleAfterSeconds=0}, no periodic probes). A distribution
     * writes it as conf/&lt;pid&gt;.cfg, a framework test hands it to Config Admin; the values are
     * strings, as in a .cfg file, and DS converts them.
     */
    public Map<String, Map<String, String>> configuration() {
        Map<String, Map<String, String>> pids = new LinkedHashMap<>();
        pids.put("dev.somnus.reaper", properties("trusted.directories", bin.toString()));
        pids.put("dev.somnus.suspend", properties("staleAfterSeconds", "0",
                "procRoot", root.resolve("proc").toString(), "sysRoot", root.resolve("sys").toString()));
        pids.put("dev.somnus.suspend.systemd", properties("systemctl", helper("systemctl"), "runDir", runDir(),
                "probeIntervalSeconds", "0"));
        pids.put("dev.somnus.suspend.pmutils", properties("pmIsSupported", helper("pm-is-supported"),
                "pmHibernate", helper("pm-hibernate"), "pmSuspend", helper("pm-suspend"),
                "pmSuspendHybrid", helper("pm-suspend-hybrid"), "probeIntervalSeconds", "0"));
        pids.put("dev.somnus.suspend.sysfs", properties("root", power.toString(), "probeIntervalSeconds", "0"));
        pids.put("dev.somnus.shutdown", properties("staleAfterSeconds", "0"));
        pids.put("dev.somnus.shutdown.systemd", properties("systemctl", helper("systemctl"), "runDir", runDir(),
                "probeIntervalSeconds", "0"));
        pids.put("dev.somnus.shutdown.sysv", properties("shutdown", helper("shutdown"), "probeIntervalSeconds", "0"));
        pids.put("dev.somnus.shutdown.busybox", properties("poweroff", helper("poweroff"), "halt", helper("halt"),
                "reboot", helper("reboot"), "busybox", helper("busybox"), "probeIntervalSeconds", "0"));
        // the families that write (CPUs and memory blocks online, files, SSH keys, passwords, freezes)
        // act under this fake root, so a test that sends them acts on fakes unless it says otherwise
        pids.put("dev.somnus.resources", properties("root", root.toString()));
        pids.put("dev.somnus.files", properties("root", root.toString()));
        pids.put("dev.somnus.credentials", properties("root", root.toString(), "chpasswd", helper(CHPASSWD)));
        // freezing is refused for every file system of / under a root other than / (the freeze family's guard)
        pids.put("dev.somnus.freeze", properties("root", root.toString()));
        // the clock: the real system clock (settimeofday) switched off, the providers on the guest's
        // fake hwclock and its plain-file RTC
        pids.put("dev.somnus.clock", properties("staleAfterSeconds", "0"));
        pids.put("dev.somnus.clock.system", properties("enabled", "false"));
        pids.put("dev.somnus.clock.hwclock", properties("hwclock", helper("hwclock"), "probeIntervalSeconds", "0"));
        pids.put("dev.somnus.clock.rtc", properties("device", rtc().toString(), "probeIntervalSeconds", "0"));
        return pids;
    }

    private static Map<String, String> properties(String... keyValues) {
        Map<String, String> properties = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.put(keyValues[i], keyValues[i + 1]);
        }
        return properties;
    }
}
