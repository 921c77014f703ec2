package dev.somnus.api.provider;

import java.util.Objects;

/**
 * What one provider's attempt at its action came to.
 *
 * @param done true when the action completed (what "completed" means is the family's: a suspend
 *        through sysfs or pm-utils is done once the guest has slept and resumed, one through
 *        systemd once the manager accepted the request)
 * @param reason {@link Reasons#DONE} when done, otherwise a machine-readable word for the cause,
 *        e.g. {@link Reasons#ACTION_FAILED}
 * @param sentence what happened, naming the action and its result
 */
public record Outcome(boolean done, String reason, String sentence) {

    public Outcome {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(sentence, "sentence");
    }

    public static Outcome done(String sentence) {
        return new Outcome(true, Reasons.DONE, sentence);
    }

    public static Outcome failed(String reason, String sentence) {
        return new Outcome(false, reason, sentence);
    }
}
