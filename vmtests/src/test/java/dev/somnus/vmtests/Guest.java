package dev.somnus.vmtests;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One emulated machine with its two disks, started as often as a scenario needs (each start after a
 * hibernation is a resume). QEMU's argv is the one of vm-recipe.md, built as a list. Console output,
 * QEMU's own output and the disks stay under target/vm-runs/&lt;agent&gt;/&lt;scenario&gt;/ for post-mortems;
 * the sockets live in a short /tmp folder (a unix socket path has at most 107 bytes).
 */
final class Guest implements AutoCloseable {

    static final Duration AGENT_TIMEOUT = Duration.ofSeconds(120);

    private final GuestImage image;
    private final Path runDir;
    private final Path socketDir;
    private final List<String> appendExtras;
    /** The read-only scenarios' extra hardware (NIC, disks on four buses, a second agent port), or null. */
    private final GuestDevices devices;
    private int boots;
    private Process qemu;
    private Qmp qmp;
    private AgentChannel agent;
    private AgentChannel agent1;
    private long startedNanos;
    /** Whether a guest reboot resets in the same QEMU (no -no-reboot), as scenario 9's guest-shutdown reboot needs. */
    private boolean rebootInPlace;

    private Guest(GuestImage image, Path runDir, Path socketDir, List<String> appendExtras, GuestDevices devices) {
        this.image = image;
        this.runDir = runDir;
        this.socketDir = socketDir;
        this.appendExtras = appendExtras;
        this.devices = devices;
    }

    /** A guest with fresh sparse disks: 16 MiB data (/dev/vda), 512 MiB swap (/dev/vdb). */
    static Guest create(GuestImage image, String scenario, String... appendExtras) throws IOException {
        Path runDir = freshRunDir(image.agent(), scenario);
        Path socketDir = Files.createTempDirectory("somnus-vm");
        return new Guest(image, runDir, socketDir, List.of(appendExtras), null);
    }

    /**
     * A guest with the read-only scenarios' devices ({@link GuestDevices}: two vCPUs, a NIC, an ext4
     * data disk on each bus kind) and a second agent port, org.qemu.guest_agent.1 ({@link #agent1()}).
     */
    static Guest createWithDevices(GuestImage image, String scenario, String... appendExtras) throws IOException, InterruptedException {
        Path runDir = freshRunDir(image.agent(), scenario);
        GuestDevices devices = GuestDevices.create(runDir);
        Path socketDir = Files.createTempDirectory("somnus-vm");
        List<String> words = new ArrayList<>(List.of(appendExtras));
        words.add(GuestDevices.KERNEL_WORD);
        return new Guest(image, runDir, socketDir, List.copyOf(words), devices);
    }

    /** From the next start on, a reboot of the guest resets it in the same QEMU process instead of ending QEMU. */
    Guest rebootingInPlace() {
        rebootInPlace = true;
        return this;
    }

    /** An empty run folder with fresh sparse disks data.img (16 MiB) and swap.img (512 MiB). */
    static Path freshRunDir(String... names) throws IOException {
        Path runDir = Path.of(GuestImage.property("somnus.vm.runs"), names);
        deleteTree(runDir);
        Files.createDirectories(runDir);
        for (var disk : List.of(new Object[] {"data.img", 16L << 20}, new Object[] {"swap.img", 512L << 20})) {
            try (RandomAccessFile f = new RandomAccessFile(runDir.resolve((String) disk[0]).toFile(), "rw")) {
                f.setLength((Long) disk[1]);
            }
        }
        return runDir;
    }

    /** The 10-byte signature at the end of a swap disk's first page (offset 4086), NULs dropped. */
    static String swapSignature(Path swapImage) throws IOException {
        byte[] sig = new byte[10];
        try (RandomAccessFile f = new RandomAccessFile(swapImage.toFile(), "r")) {
            f.seek(4086);
            f.readFully(sig);
        }
        return new String(sig, StandardCharsets.ISO_8859_1).replace("\0", "");
    }

    /**
     * The kernel words every guest gets, both agents alike: a serial console, no console suspend so
     * the log shows the sleep, an uncompressed hibernation image (under TCG the kernel's LZO runs
     * slower than the emulated disk writes to the host's cache: qemu-ga's suspend 0.9-1.0 s instead
     * of 1.1 s, Somnus's larger image 1.3-1.5 s instead of 1.7-2.1 s), and no zeroing of every page
     * the kernel allocates (Debian's init_on_alloc hardening: hibernation preallocates as many pages
     * as the image holds, and zeroing them under TCG took Somnus's resumed guest 2.2-3.5 s before its
     * second suspend; qemu-ga 0.5 s before its first). vmtests/README.md, "Start-up tuning".
     * LibvirtGuestIT's domains use the same words.
     */
    static final List<String> KERNEL_WORDS =
            List.of("console=ttyS0", "no_console_suspend", "hibernate=nocompress", "init_on_alloc=0");

    /** The kernel command line: {@link #KERNEL_WORDS} and the scenario's extras. */
    String kernelCommandLine() {
        List<String> words = new ArrayList<>(KERNEL_WORDS);
        words.addAll(appendExtras);
        return String.join(" ", words);
    }

    List<String> argv() {
        List<String> argv = new ArrayList<>(List.of(
                GuestImage.qemu(),
                "-machine", "pc,accel=tcg", "-cpu", "max", "-smp", devices == null ? "1" : Integer.toString(GuestDevices.CPUS), "-m", "512M",
                "-nographic", "-monitor", "none",
                "-serial", "file:" + console(boots),
                "-qmp", "unix:" + qmpSocket() + ",server=on,wait=off",
                "-kernel", image.kernel().toString(),
                "-initrd", image.initramfs().toString(),
                "-append", kernelCommandLine(),
                "-drive", "file=" + runDir.resolve("data.img") + ",format=raw,if=none,id=data,cache=unsafe",
                "-device", "virtio-blk-pci,drive=data,addr=0x4" + (devices == null ? "" : ",serial=" + GuestDevices.VIRTIO_SERIAL),
                "-drive", "file=" + swapImage() + ",format=raw,if=none,id=swap,cache=unsafe",
                "-device", "virtio-blk-pci,drive=swap,addr=0x5",
                "-device", "virtio-serial-pci,addr=0x6",
                "-chardev", "socket,path=" + agentSocket() + ",server=on,wait=off,id=qga0",
                "-device", "virtserialport,chardev=qga0,name=org.qemu.guest_agent.0,id=qgaport",
                // S4 on (the default in 7.2, explicit here).
                "-global", "PIIX4_PM.disable_s4=0"));
        if (!rebootInPlace) {
            // Power off instead of rebooting.
            argv.add("-no-reboot");
        }
        if (devices != null) {
            argv.addAll(devices.qemuArguments());
            argv.addAll(List.of(
                    "-chardev", "socket,path=" + agent1Socket() + ",server=on,wait=off,id=qga1",
                    "-device", "virtserialport,chardev=qga1,name=org.qemu.guest_agent.1,id=qgaport1"));
        }
        return List.copyOf(argv);
    }

    /** Starts QEMU (boot number n+1) and connects to QMP and to the agent's chardev. */
    void start() throws IOException, InterruptedException {
        if (qemu != null && qemu.isAlive()) {
            throw new IllegalStateException("QEMU is still running");
        }
        closeClients();
        boots++;
        Files.deleteIfExists(qmpSocket());
        Files.deleteIfExists(agentSocket());
        Files.deleteIfExists(agent1Socket());
        Path out = runDir.resolve("qemu-" + boots + ".out");
        startedNanos = System.nanoTime();
        qemu = new ProcessBuilder(argv()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        qmp = Qmp.connect(qmpSocket(), qemu, Duration.ofSeconds(30));
        agent = AgentChannel.connect(agentSocket(), qemu, Duration.ofSeconds(30));
        if (devices != null) {
            agent1 = AgentChannel.connect(agent1Socket(), qemu, Duration.ofSeconds(30));
        }
    }

    /** Syncs with the agent; returns the time from QEMU's start until the agent answered. */
    Duration awaitAgent() throws IOException, InterruptedException {
        if (!agent.sync(AGENT_TIMEOUT)) {
            throw new AssertionError("the agent did not answer guest-sync-delimited within "
                    + AGENT_TIMEOUT.toSeconds() + " s of QEMU's start" + diagnostics());
        }
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    /** Waits for QEMU to exit and returns its exit status; fails if it does not. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!qemu.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("QEMU did not exit within " + timeout.toSeconds() + " s" + diagnostics());
        }
        return qemu.exitValue();
    }

    boolean isRunning() {
        return qemu != null && qemu.isAlive();
    }

    Qmp qmp() {
        return qmp;
    }

    AgentChannel agent() {
        return agent;
    }

    /** The agent on the second port, org.qemu.guest_agent.1 (only a guest with devices has one). */
    AgentChannel agent1() {
        if (agent1 == null) {
            throw new IllegalStateException("this guest has no second agent port");
        }
        return agent1;
    }

    Path swapImage() {
        return runDir.resolve("swap.img");
    }

    String swapSignature() throws IOException {
        return swapSignature(swapImage());
    }

    Path console(int boot) {
        return runDir.resolve("console-" + boot + ".log");
    }

    /** What a person needs to see when a scenario fails: events, agent transcript, console tail. */
    String diagnostics() {
        StringBuilder text = new StringBuilder("\n--- run folder: ").append(runDir);
        if (qmp != null) {
            text.append("\n--- QMP events: ").append(qmp.eventLog());
        }
        if (agent != null) {
            text.append("\n--- agent replies: ").append(agent.transcript());
        }
        if (agent1 != null) {
            text.append("\n--- second agent's replies: ").append(agent1.transcript());
        }
        try {
            List<String> lines = Files.readAllLines(console(boots), StandardCharsets.ISO_8859_1);
            text.append("\n--- last console lines (boot ").append(boots).append("):\n")
                    .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
        } catch (IOException e) {
            text.append("\n--- no console log: ").append(e.getMessage());
        }
        return text.toString();
    }

    private Path qmpSocket() {
        return socketDir.resolve("qmp.sock");
    }

    private Path agentSocket() {
        return socketDir.resolve("qga.sock");
    }

    private Path agent1Socket() {
        return socketDir.resolve("qga1.sock");
    }

    private void closeClients() throws IOException {
        if (agent != null) {
            agent.close();
            agent = null;
        }
        if (agent1 != null) {
            agent1.close();
            agent1 = null;
        }
        if (qmp != null) {
            qmp.close();
            qmp = null;
        }
    }

    /** Stops QEMU if it still runs (quit on QMP, then kill) and removes the socket folder. */
    @Override
    public void close() throws IOException, InterruptedException {
        if (qemu != null && qemu.isAlive()) {
            try {
                qmp.execute("quit");
            } catch (RuntimeException | Error | IOException e) {
                // QEMU may be too wedged to answer: killed below.
            }
            if (!qemu.waitFor(10, TimeUnit.SECONDS)) {
                qemu.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        closeClients();
        deleteTree(socketDir);
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
