package dev.somnus.power.commands;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration of {@code guest-shutdown} (PID {@value #PID}). Dry run is not here: it is one
 * agent-wide setting, applied by the runtime to every acting command.
 */
@ObjectClassDefinition(id = ShutdownSettings.PID, name = "Somnus shutdown command",
        description = "How guest-shutdown chooses and runs a shutdown provider.")
public @interface ShutdownSettings {

    String PID = "dev.somnus.shutdown";

    @AttributeDefinition(description = "A provider's answer older than this many seconds is probed again before a "
            + "shutdown (0 = always).")
    int staleAfterSeconds() default 30;
}
