package dev.somnus.api.provider;

import java.time.Instant;
import java.util.Objects;

/**
 * A provider's answer to "could you perform your mode now?" (suspend to disk, power down, set the
 * clock), with why.
 *
 * @param available whether the provider would act
 * @param reason a stable, machine-readable word for the cause, e.g. {@code supported},
 *        {@code helper-missing}, {@code helper-refused}, {@code mode-not-offered}; see
 *        {@link Reasons}
 * @param sentence the same for a person, naming the evidence (the program run and its exit status,
 *        the file read and what it held)
 * @param probedAt when the answer was obtained
 */
public record Availability(boolean available, String reason, String sentence, Instant probedAt) {

    public Availability {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(sentence, "sentence");
        Objects.requireNonNull(probedAt, "probedAt");
    }

    public static Availability available(String sentence) {
        return new Availability(true, Reasons.SUPPORTED, sentence, Instant.now());
    }

    public static Availability unavailable(String reason, String sentence) {
        return new Availability(false, reason, sentence, Instant.now());
    }
}
