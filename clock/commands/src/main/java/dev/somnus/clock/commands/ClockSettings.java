package dev.somnus.clock.commands;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of guest-set-time (PID {@value #PID}). */
@ObjectClassDefinition(id = ClockSettings.PID, name = "Somnus clock commands",
        description = "How guest-set-time chooses and runs a clock provider.")
public @interface ClockSettings {

    String PID = "dev.somnus.clock";

    @AttributeDefinition(description = "A provider's answer older than this many seconds is probed again before "
            + "guest-set-time uses it (0 = always).")
    int staleAfterSeconds() default 30;
}
