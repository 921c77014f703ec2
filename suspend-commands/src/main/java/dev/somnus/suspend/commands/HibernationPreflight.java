package dev.somnus.suspend.commands;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Checks whether a hibernation image could be written and found again, before anyone tries: swap
 * large enough for the memory in use, a resume device, no kernel lockdown. qemu-ga checks none of
 * this; a provider can say yes (pm-is-supported, a {@code disk} in /sys/power/state) on a guest
 * that then fails to hibernate or boots afresh. The checks are warnings: they never turn a mode
 * off (a guest where a provider says yes still attempts, as with qemu-ga), they are shown by the
 * support query and named in the error when every hibernation attempt failed.
 */
final class HibernationPreflight {

    /** One check: {@code ok} or not, a reason word and a sentence naming the evidence. */
    record Check(String check, boolean ok, String reason, String sentence) {

        Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("check", check);
            json.put("ok", ok);
            json.put("reason", reason);
            json.put("sentence", sentence);
            return json;
        }

        @Override
        public String toString() {
            return reason + ": " + sentence;
        }
    }

    static final String SWAP_SUFFICIENT = "swap-sufficient";
    static final String NO_SWAP = "no-swap";
    static final String SWAP_TOO_SMALL = "swap-too-small";
    static final String RESUME_DEVICE = "resume-device-configured";
    static final String NO_RESUME_DEVICE = "no-resume-device";
    static final String NORESUME = "noresume";
    static final String NO_LOCKDOWN = "no-lockdown";
    static final String KERNEL_LOCKDOWN = "kernel-lockdown";
    static final String UNREADABLE = "preflight-unreadable";

    private final Path proc;
    private final Path sys;

    HibernationPreflight(Path procRoot, Path sysRoot) {
        this.proc = procRoot;
        this.sys = sysRoot;
    }

    static HibernationPreflight of(SuspendSettings settings) {
        return new HibernationPreflight(Path.of(settings.procRoot()), Path.of(settings.sysRoot()));
    }

    List<Check> run() {
        return List.of(swap(), resume(), lockdown());
    }

    /** The checks that did not pass. */
    List<Check> warnings() {
        List<Check> warnings = new ArrayList<>();
        for (Check check : run()) {
            if (!check.ok()) {
                warnings.add(check);
            }
        }
        return warnings;
    }

    /**
     * Free swap (sum of Size - Used over /proc/swaps) against memory in use (MemTotal - MemAvailable
     * from /proc/meminfo), both in KiB: the image holds at most the memory in use, so this is a
     * conservative bound (the kernel shrinks caches and compresses the image).
     */
    Check swap() {
        Path swaps = proc.resolve("swaps");
        Path meminfo = proc.resolve("meminfo");
        long freeSwap = 0;
        int devices = 0;
        try {
            List<String> lines = Files.readAllLines(swaps, StandardCharsets.ISO_8859_1);
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] fields = line.trim().split("\\s+");
                if (fields.length >= 4) {
                    freeSwap += Long.parseLong(fields[2]) - Long.parseLong(fields[3]);
                    devices++;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return new Check("swap", false, UNREADABLE, swaps + " could not be read: " + text(e));
        }
        if (devices == 0) {
            return new Check("swap", false, NO_SWAP,
                    "no swap space is active (" + swaps + " lists none): there is nowhere to write a hibernation image");
        }
        OptionalLong total;
        OptionalLong available;
        try {
            String info = Files.readString(meminfo, StandardCharsets.ISO_8859_1);
            total = kib(info, "MemTotal");
            available = kib(info, "MemAvailable");
        } catch (IOException e) {
            return new Check("swap", false, UNREADABLE, meminfo + " could not be read: " + text(e));
        }
        if (total.isEmpty() || available.isEmpty()) {
            return new Check("swap", false, UNREADABLE, meminfo + " has no MemTotal or MemAvailable");
        }
        long inUse = total.getAsLong() - available.getAsLong();
        String numbers = "active swap has " + freeSwap + " KiB free on " + devices + " device(s), memory in use is "
                + inUse + " KiB (MemTotal - MemAvailable)";
        return freeSwap >= inUse
                ? new Check("swap", true, SWAP_SUFFICIENT, numbers)
                : new Check("swap", false, SWAP_TOO_SMALL, numbers + ": the hibernation image may not fit");
    }

    /** A resume device from /sys/power/resume (not 0:0) or resume= on the kernel command line. */
    Check resume() {
        Path resume = sys.resolve("power/resume");
        Path cmdline = proc.resolve("cmdline");
        List<String> words;
        try {
            words = Arrays.asList(Files.readString(cmdline, StandardCharsets.ISO_8859_1).trim().split("\\s+"));
        } catch (IOException e) {
            return new Check("resume", false, UNREADABLE, cmdline + " could not be read: " + text(e));
        }
        if (words.contains("noresume")) {
            return new Check("resume", false, NORESUME,
                    cmdline + " has noresume: a hibernation image would never be resumed");
        }
        Optional<String> device = Optional.empty();
        try {
            String value = Files.readString(resume, StandardCharsets.ISO_8859_1).trim();
            if (!value.isEmpty() && !value.equals("0:0")) {
                device = Optional.of(value);
            }
        } catch (IOException e) {
            // no sysfs resume file: the command line may still name the device
        }
        if (device.isPresent()) {
            return new Check("resume", true, RESUME_DEVICE, resume + " is " + device.get());
        }
        for (String word : words) {
            if (word.startsWith("resume=")) {
                return new Check("resume", true, RESUME_DEVICE, cmdline + " has " + word);
            }
        }
        return new Check("resume", false, NO_RESUME_DEVICE, "no resume device is configured (" + resume
                + " is 0:0 or absent and " + cmdline + " has no resume=): the guest would boot afresh instead of resuming");
    }

    /** Kernel lockdown in integrity or confidentiality mode disables hibernation. */
    Check lockdown() {
        Path lockdown = sys.resolve("kernel/security/lockdown");
        String value;
        try {
            value = Files.readString(lockdown, StandardCharsets.ISO_8859_1).trim();
        } catch (NoSuchFileException e) {
            return new Check("lockdown", true, NO_LOCKDOWN, lockdown + " does not exist: no kernel lockdown");
        } catch (IOException e) {
            return new Check("lockdown", false, UNREADABLE, lockdown + " could not be read: " + text(e));
        }
        if (value.contains("[integrity]") || value.contains("[confidentiality]")) {
            return new Check("lockdown", false, KERNEL_LOCKDOWN,
                    lockdown + " holds \"" + value + "\": the locked-down kernel refuses to hibernate");
        }
        return new Check("lockdown", true, NO_LOCKDOWN, lockdown + " holds \"" + value + "\"");
    }

    private static OptionalLong kib(String meminfo, String key) {
        for (String line : meminfo.split("\n")) {
            if (line.startsWith(key + ":")) {
                String[] fields = line.substring(key.length() + 1).trim().split("\\s+");
                try {
                    return OptionalLong.of(Long.parseLong(fields[0]));
                } catch (NumberFormatException e) {
                    return OptionalLong.empty();
                }
            }
        }
        return OptionalLong.empty();
    }

    private static String text(Exception e) {
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        return String.valueOf(e.getMessage());
    }
}
