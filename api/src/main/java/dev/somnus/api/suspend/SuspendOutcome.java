package dev.somnus.api.suspend;

import java.util.Objects;

/**
 * What a suspend attempt came to.
 *
 * @param done true when the action completed (for sysfs and pm-utils: the guest has slept and
 *        resumed; for systemd: the manager accepted the request)
 * @param reason a machine-readable word when not done, e.g. {@code action-failed}; {@code done} when done
 * @param sentence what happened, naming the action and its result
 */
public record SuspendOutcome(boolean done, String reason, String sentence) {

    public SuspendOutcome {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(sentence, "sentence");
    }

    public static SuspendOutcome done(String sentence) {
        return new SuspendOutcome(true, "done", sentence);
    }

    public static SuspendOutcome failed(String reason, String sentence) {
        return new SuspendOutcome(false, reason, sentence);
    }
}
