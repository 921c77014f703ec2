package dev.somnus.suspend.commands;

/**
 * The one property of the agent-wide configuration (PID {@value #PID}, owned and described by the
 * runtime) the support query reads, to report whether the suspend commands would only say what
 * they would do. The runtime, not this bundle, applies dry run to every acting command.
 */
public @interface AgentDryRun {

    String PID = "dev.somnus.agent";

    boolean dryRun() default false;
}
