package dev.somnus.vmtests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A kernel and an initramfs with one guest agent, made by build-image.sh (which caches and skips
 * work whose inputs did not change). Where the host cannot build or boot one, the test is skipped
 * with the reason in words - or fails, with the same words, when {@code somnus.vm.required=true}.
 */
record GuestImage(String agent, Path kernel, Path initramfs, Properties properties) {

    private static final Map<String, GuestImage> BUILT = new HashMap<>();

    /** Debian's qemu-ga 7.2, the reference agent. */
    static GuestImage qemuGa() throws IOException, InterruptedException {
        return build("qemu-ga", List.of());
    }

    /** The Somnus distribution with a jlink'd runtime and the test-support bundle in deploy/. */
    static GuestImage somnus() throws IOException, InterruptedException {
        Path dist = Path.of(property("somnus.vm.distribution"));
        if (!Files.isExecutable(dist.resolve("bin/somnus-ga"))) {
            unmet("the Somnus distribution is not built: " + dist.resolve("bin/somnus-ga")
                    + " does not exist (run 'mvn -B -q package -DskipTests' at the root)");
        }
        List<String> args = new ArrayList<>(List.of("--distribution", dist.toString()));
        String testSupport = System.getProperty("somnus.vm.testSupport", "");
        if (testSupport.isEmpty() || !Files.isRegularFile(Path.of(testSupport))) {
            unmet("the test-support bundle is not built ('" + testSupport + "'); the guest tests need its boot-info command");
        }
        args.addAll(List.of("--test-support", testSupport));
        return build("somnus", args);
    }

    /**
     * The read-only scenarios' image of the Somnus build: the same initramfs followed by a second
     * archive with the drivers for {@link GuestDevices}' hardware, qemu-ga as /etc/agent-qemu-ga, an
     * os-release and a time zone (build-image.sh). The agent stays "somnus" (run folders, timings).
     */
    static GuestImage somnusWithDevices() throws IOException, InterruptedException {
        GuestImage somnus = somnus();
        String devices = somnus.properties().getProperty("devices.initramfs");
        if (devices == null) {
            unmet("the Somnus image has no read-only scenarios' variant (" + somnus.properties().getProperty("reference.qemu-ga")
                    + "): both agents must be in the guest to compare them");
        }
        return new GuestImage(somnus.agent(), somnus.kernel(), somnus.initramfs().resolveSibling(devices), somnus.properties());
    }

    /** The time zone the read-only scenarios' guest has in /etc/localtime, or null for none (then UTC). */
    String devicesTimeZone() {
        String zone = properties.getProperty("devices.timezone", "");
        return zone.startsWith("(") ? null : zone;
    }

    private static synchronized GuestImage build(String agent, List<String> extra) throws IOException, InterruptedException {
        GuestImage built = BUILT.get(agent);
        if (built != null) {
            return built;
        }
        requireHostTools();
        Path out = Path.of(property("somnus.vm.images")).resolve(agent);
        List<String> command = new ArrayList<>(List.of(property("somnus.vm.script"), "--agent", agent, "--out", out.toString()));
        command.addAll(extra);
        Files.createDirectories(out.getParent());
        Path log = out.getParent().resolve(agent + "-build.log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(15, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            Assertions.fail("build-image.sh for " + agent + " did not finish within 15 minutes; see " + log);
        }
        String output = Files.readString(log, StandardCharsets.UTF_8).strip();
        if (p.exitValue() == 3) {
            unmet(lastLine(output));
        } else if (p.exitValue() != 0) {
            Assertions.fail("build-image.sh for " + agent + " failed with status " + p.exitValue() + ":\n" + output);
        }
        Properties properties = new Properties();
        try (var in = Files.newBufferedReader(out.resolve("image.properties"))) {
            properties.load(in);
        }
        built = new GuestImage(agent, out.resolve("vmlinuz"), out.resolve("initramfs.cpio"), properties);
        BUILT.put(agent, built);
        return built;
    }

    private static void requireHostTools() {
        if (!onPath(qemu())) {
            unmet(qemu() + " is not installed (Debian package qemu-system-x86): the guest cannot boot");
        }
        if (!Files.isExecutable(Path.of(property("somnus.vm.script")))) {
            unmet("the image builder " + property("somnus.vm.script") + " is missing or not executable");
        }
    }

    /** The emulator: qemu-system-x86_64 on PATH unless somnus.vm.qemu names another. */
    static String qemu() {
        return System.getProperty("somnus.vm.qemu", "qemu-system-x86_64");
    }

    static boolean onPath(String program) {
        if (program.contains("/")) {
            return Files.isExecutable(Path.of(program));
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Skips (or, when VM tests are required, fails) with the reason in words. CI (which sets CI=true
     * and installs every prerequisite in .ci/run) always requires them, so a broken set-up there fails
     * instead of passing with the VM suite skipped.
     */
    static void unmet(String reason) {
        String message = "VM tests cannot run here: " + reason;
        System.err.println("[vmtests] " + message);
        if (Boolean.getBoolean("somnus.vm.required")) {
            Assertions.fail(message + " (somnus.vm.required=true)");
        }
        if ("true".equals(System.getenv("CI"))) {
            Assertions.fail(message + " (CI=true: the VM tests are required in CI)");
        }
        Assumptions.abort(message);
    }

    static String property(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isEmpty()) {
            unmet("system property " + name + " is not set (run the tests through Maven: mvn verify -pl vmtests)");
        }
        return value;
    }

    private static String lastLine(String text) {
        int nl = text.lastIndexOf('\n');
        return nl < 0 ? text : text.substring(nl + 1);
    }
}
