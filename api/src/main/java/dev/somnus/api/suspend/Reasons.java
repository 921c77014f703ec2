package dev.somnus.api.suspend;

/**
 * The reason words providers and the preflight use. Clients may match on them; new words may be
 * added, existing ones keep their meaning.
 */
public final class Reasons {

    /** The provider would act. */
    public static final String SUPPORTED = "supported";
    /** A helper program is not installed in the trusted directories. */
    public static final String HELPER_MISSING = "helper-missing";
    /** A probe program ran and answered no. */
    public static final String HELPER_REFUSED = "helper-refused";
    /** A probe program failed in a way that is not an answer (signal, timeout, odd exit status). */
    public static final String PROBE_FAILED = "probe-failed";
    /** The kernel interface does not offer the mode (e.g. {@code disk} missing from /sys/power/state). */
    public static final String MODE_NOT_OFFERED = "mode-not-offered";
    /** The kernel interface could not be read. */
    public static final String INTERFACE_UNREADABLE = "interface-unreadable";
    /** The machine is not managed by the provider's service manager (e.g. systemd not running). */
    public static final String MANAGER_NOT_RUNNING = "manager-not-running";
    /** The provider does not implement this mode. */
    public static final String MODE_NOT_IMPLEMENTED = "mode-not-implemented";
    /** Switched off by configuration. */
    public static final String DISABLED = "disabled";
    /** No probe has completed yet. */
    public static final String NOT_PROBED = "not-probed";

    private Reasons() {
    }
}
