package dev.somnus.api.shutdown;

import java.util.Optional;

/**
 * The three modes of {@code guest-shutdown} (qga/commands-posix.c, qmp_guest_shutdown), each the
 * value of {@code somnus.provider.mode} for the {@link dev.somnus.api.provider.Provider} services
 * of family {@value #FAMILY}.
 */
public enum ShutdownMode {
    /** Power the machine off (qemu-ga's default; QEMU then reports SHUTDOWN and exits). */
    POWERDOWN("powerdown"),
    /** Stop the system without powering off. */
    HALT("halt"),
    /** Restart the machine (QEMU reports RESET). */
    REBOOT("reboot");

    /** The value of {@code somnus.provider.family} for shutdown providers. */
    public static final String FAMILY = "shutdown";

    /** The QGA command. */
    public static final String COMMAND = "guest-shutdown";

    private final String id;

    ShutdownMode(String id) {
        this.id = id;
    }

    /** The wire value of {@code mode} and of {@code somnus.provider.mode}. */
    public String id() {
        return id;
    }

    public static Optional<ShutdownMode> fromId(String id) {
        for (ShutdownMode m : values()) {
            if (m.id.equals(id)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}
