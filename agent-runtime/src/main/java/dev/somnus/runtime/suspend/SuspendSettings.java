package dev.somnus.runtime.suspend;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the suspend commands (PID {@value #PID}), shared by every component here. */
@ObjectClassDefinition(id = SuspendSettings.PID, name = "Somnus suspend commands",
        description = "How guest-suspend-disk / -ram / -hybrid choose and run a suspend provider.")
public @interface SuspendSettings {

    String PID = "dev.somnus.suspend";

    /**
     * The agent-wide configuration, also read by these components (its properties override this
     * PID's): the runtime applies its dryRun to every acting command; the support query reports it.
     */
    String AGENT_PID = "dev.somnus.agent";

    @AttributeDefinition(description = "Do everything but the action (also set agent-wide by dryRun in "
            + "dev.somnus.agent): a request answers an error naming the provider and the action that would have run.")
    boolean dryRun() default false;

    @AttributeDefinition(description = "A provider's answer older than this many seconds is probed again before a "
            + "suspend or a support query (0 = always).")
    int staleAfterSeconds() default 30;

    @AttributeDefinition(description = "Where the hibernation preflight reads swaps, meminfo and cmdline.")
    String procRoot() default "/proc";

    @AttributeDefinition(description = "Where the hibernation preflight reads power/resume and kernel/security/lockdown.")
    String sysRoot() default "/sys";
}
