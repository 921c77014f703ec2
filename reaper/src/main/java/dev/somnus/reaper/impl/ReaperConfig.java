package dev.somnus.reaper.impl;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration of PID {@code dev.somnus.reaper}. Timeouts are not here: each caller sets its
 * own through {@code ChildSpec.withTimeout}, and the reaper enforces it.
 */
@ObjectClassDefinition(name = "Somnus reaper", description = "Starts and reaps every child process of the agent.")
public @interface ReaperConfig {

    @AttributeDefinition(name = "Trusted directories",
            description = "Colon-separated directories in which programs named without '/' are looked up,"
                    + " in order. The inherited PATH is never used.")
    String trusted_directories() default "/usr/sbin:/usr/bin:/sbin:/bin";

    @AttributeDefinition(name = "Child subreaper",
            description = "Become a child subreaper (PR_SET_CHILD_SUBREAPER), so orphaned grandchildren,"
                    + " such as daemonising pm-utils hooks, are reaped by the agent instead of init.")
    boolean child_subreaper() default true;

    @AttributeDefinition(name = "Sweep interval (ms)",
            description = "How often every child is checked even without SIGCHLD. Every SIGCHLD sweeps at"
                    + " once, so this is only a safety net; each sweep wakes an idle agent.", min = "10")
    long sweep_interval_ms() default 60000;
}
