package dev.somnus.api.provider;

/**
 * The reason words of {@link Availability} and {@link Outcome}, shared by every family. Clients may
 * match on them; new words may be added, existing ones keep their meaning.
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

    // the words of an Outcome

    /** The action completed. */
    public static final String DONE = "done";
    /** The action ran and failed (a helper's unexpected exit status, an exception). */
    public static final String ACTION_FAILED = "action-failed";
    /** The action's helper ran past its timeout and was killed. */
    public static final String ACTION_TIMED_OUT = "action-timed-out";
    /** The action's helper was killed by a signal. */
    public static final String ACTION_KILLED = "action-killed";
    /** The action's helper could not be started (other than not installed). */
    public static final String ACTION_NOT_STARTED = "action-not-started";
    /** A write into a kernel interface was refused. */
    public static final String WRITE_FAILED = "write-failed";
    /** The provider went away (its bundle stopped) before or while it acted. */
    public static final String PROVIDER_STOPPED = "provider-stopped";

    private Reasons() {
    }
}
