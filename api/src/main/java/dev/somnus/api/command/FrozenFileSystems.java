package dev.somnus.api.command;

/**
 * Registered by the bundle that freezes the guest's file systems ({@code guest-fsfreeze-freeze})
 * for as long as any is frozen, and unregistered at the thaw. While one is registered the runtime
 * answers every command that does not declare {@link Command#ALLOWED_WHILE_FROZEN} with qemu-ga
 * 7.2's {@code Command <name> has been disabled: the agent is in frozen state} (qga-reference §3.4),
 * and lists it as disabled in {@code guest-info}. The runtime holds no list of command names: the
 * commands themselves say which may run then.
 */
public interface FrozenFileSystems {

    /** Words for the agent's log: what is frozen and since when. */
    String describe();
}
