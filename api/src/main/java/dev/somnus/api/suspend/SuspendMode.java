package dev.somnus.api.suspend;

import java.util.Optional;

/** The three suspend modes of qemu-ga (qga-reference §4), with their command names. */
public enum SuspendMode {
    /** Suspend to disk (hibernate, ACPI S4). */
    DISK("disk", "guest-suspend-disk"),
    /** Suspend to RAM (ACPI S3). */
    RAM("ram", "guest-suspend-ram"),
    /** Write a hibernation image, then suspend to RAM. */
    HYBRID("hybrid", "guest-suspend-hybrid");

    /** The value of {@code somnus.provider.family} for suspend providers. */
    public static final String FAMILY = "suspend";

    private final String id;
    private final String command;

    SuspendMode(String id, String command) {
        this.id = id;
        this.command = command;
    }

    /**
     * The value of the {@link dev.somnus.api.provider.Provider#MODE} service property:
     * {@code disk}, {@code ram}, {@code hybrid}.
     */
    public String id() {
        return id;
    }

    /** The QGA command that requests this mode. */
    public String command() {
        return command;
    }

    public static Optional<SuspendMode> fromId(String id) {
        for (SuspendMode m : values()) {
            if (m.id.equals(id)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}
