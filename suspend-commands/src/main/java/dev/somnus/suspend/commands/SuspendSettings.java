package dev.somnus.suspend.commands;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration of the suspend commands (PID {@value #PID}), shared by every component here. Dry run
 * is not here: it is one agent-wide setting ({@link AgentDryRun}), applied by the runtime.
 */
@ObjectClassDefinition(id = SuspendSettings.PID, name = "Somnus suspend commands",
        description = "How guest-suspend-disk / -ram / -hybrid choose and run a suspend provider.")
public @interface SuspendSettings {

    String PID = "dev.somnus.suspend";

    @AttributeDefinition(description = "A provider's answer older than this many seconds is probed again before a "
            + "suspend or a support query (0 = always).")
    int staleAfterSeconds() default 30;

    @AttributeDefinition(description = "Where the hibernation preflight reads swaps, meminfo and cmdline.")
    String procRoot() default "/proc";

    @AttributeDefinition(description = "Where the hibernation preflight reads power/resume and kernel/security/lockdown.")
    String sysRoot() default "/sys";
}
