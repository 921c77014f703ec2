package dev.somnus.suspend.sysfs;

import dev.somnus.api.command.Strerror;
import dev.somnus.api.provider.Availability;
import dev.somnus.api.provider.Outcome;
import dev.somnus.api.provider.Reasons;
import dev.somnus.api.suspend.SuspendMode;
import dev.somnus.provider.common.ProviderMethod;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * One mode through the kernel's sysfs interface, qemu-ga's last stage (qga-reference §4.3 step 3).
 *
 * <p>disk and ram: available when {@code <root>/state} contains {@code disk} resp. {@code mem} as
 * a substring (qemu-ga's test; qemu-ga reads only the first 31 bytes, we read the whole file);
 * performed by writing exactly {@code disk} / {@code mem}, without newline, in-process with
 * open/write/close as upstream does since the August 2025 fix, with its error text
 * {@code suspend: cannot write to '<path>': <strerror>}. The write returns after resume.
 *
 * <p>hybrid is an extension qemu-ga lacks (it has no sysfs path for hybrid, §4.6): available only
 * where {@code <root>/state} offers {@code disk} and {@code <root>/disk} offers {@code suspend};
 * performed by writing {@code suspend} to {@code <root>/disk}, then {@code disk} to
 * {@code <root>/state}. The previously selected hibernation mode is written back afterwards on
 * every path (done, refused, cut short by an interrupt), so a later guest-suspend-disk really
 * powers off instead of silently doing hybrid sleep again.
 */
final class SysfsMethod implements ProviderMethod {

    private final SuspendMode mode;
    private final Path state;
    private final Path disk;
    private final boolean hybridEnabled;

    SysfsMethod(SuspendMode mode, Path root, boolean hybridEnabled) {
        this.mode = mode;
        this.state = root.resolve("state");
        this.disk = root.resolve("disk");
        this.hybridEnabled = hybridEnabled;
    }

    private String stateWord() {
        return mode == SuspendMode.RAM ? "mem" : "disk";
    }

    @Override
    public Availability probe() {
        if (mode == SuspendMode.HYBRID && !hybridEnabled) {
            return Availability.unavailable(Reasons.MODE_NOT_IMPLEMENTED,
                    "hybrid sleep through " + disk + " is switched off by configuration (hybrid=false)");
        }
        String offered;
        try {
            offered = read(state);
        } catch (IOException e) {
            return Availability.unavailable(Reasons.INTERFACE_UNREADABLE, state + " could not be read: " + strerror(e));
        }
        if (!offered.contains(stateWord())) {
            return Availability.unavailable(Reasons.MODE_NOT_OFFERED,
                    state + " holds \"" + offered.strip() + "\", which does not offer \"" + stateWord() + "\"");
        }
        if (mode != SuspendMode.HYBRID) {
            return Availability.available(state + " holds \"" + offered.strip() + "\"");
        }
        String diskModes;
        try {
            diskModes = read(disk);
        } catch (IOException e) {
            return Availability.unavailable(Reasons.INTERFACE_UNREADABLE, disk + " could not be read: " + strerror(e));
        }
        if (!Arrays.asList(modes(diskModes)).contains("suspend")) {
            return Availability.unavailable(Reasons.MODE_NOT_OFFERED,
                    disk + " holds \"" + diskModes.strip() + "\", which does not offer \"suspend\"");
        }
        return Availability.available(state + " holds \"" + offered.strip() + "\" and " + disk + " holds \""
                + diskModes.strip() + "\"");
    }

    @Override
    public String action(Map<String, Object> request) {
        String toState = "write \"" + stateWord() + "\" to " + state;
        return mode == SuspendMode.HYBRID ? "write \"suspend\" to " + disk + ", then " + toState : toState;
    }

    @Override
    public Outcome perform(Map<String, Object> request) {
        if (mode != SuspendMode.HYBRID) {
            return writeState();
        }
        Optional<String> previous = selected();
        Optional<String> failure = write(disk, "suspend");
        if (failure.isPresent()) {
            return Outcome.failed(Reasons.WRITE_FAILED, failure.get());
        }
        // From here on <root>/disk selects "suspend": whatever the state write comes to (done,
        // refused, cut short by an interrupt, an exception), the previous selection is written back.
        Outcome outcome = null;
        try {
            outcome = writeState();
        } finally {
            Optional<String> restoreFailure = previous.isPresent() && !previous.get().equals("suspend")
                    ? restore(previous.get())
                    : Optional.empty();
            if (outcome != null && restoreFailure.isPresent()) {
                outcome = new Outcome(outcome.done(), outcome.reason(), outcome.sentence() + "; restoring \""
                        + previous.get() + "\" failed: " + restoreFailure.get());
            }
        }
        return outcome;
    }

    /**
     * Writes the previous hibernation mode back. A FileChannel refuses to write on an interrupted
     * thread (ClosedByInterruptException), and an interrupt is what ends a state write that was cut
     * short: so the restore runs with the interrupt status put aside, and sets it again after.
     */
    private Optional<String> restore(String previous) {
        boolean interrupted = Thread.interrupted();
        try {
            return write(disk, previous);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Outcome writeState() {
        Optional<String> failure = write(state, stateWord());
        return failure.isPresent()
                ? Outcome.failed(Reasons.WRITE_FAILED, failure.get())
                : Outcome.done("wrote \"" + stateWord() + "\" to " + state + ": the guest has resumed");
    }

    /** The hibernation mode currently selected in {@code <root>/disk} (the one in brackets). */
    private Optional<String> selected() {
        try {
            String text = read(disk);
            int open = text.indexOf('[');
            int close = text.indexOf(']', open + 1);
            return open >= 0 && close > open ? Optional.of(text.substring(open + 1, close)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String[] modes(String text) {
        return text.replace("[", "").replace("]", "").strip().split("\\s+");
    }

    private static String read(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
    }

    /**
     * open, write, close — never create, never a temporary file and rename (the 9.1 regression,
     * §4.3). O_TRUNC is what a shell's {@code echo mem > /sys/power/state} uses too; sysfs ignores
     * it, and a fake file in a test then holds exactly the last word written.
     */
    private static Optional<String> write(Path file, String word) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer bytes = ByteBuffer.wrap(word.getBytes(StandardCharsets.US_ASCII));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("suspend: cannot write to '" + file + "': " + strerror(e));
        }
    }

    /** The C library's text for the error, as qemu-ga's {@code %m} prints it. */
    static String strerror(IOException e) {
        if (e instanceof ClosedByInterruptException) {
            return "Interrupted system call";
        }
        return Strerror.of(e);
    }
}
