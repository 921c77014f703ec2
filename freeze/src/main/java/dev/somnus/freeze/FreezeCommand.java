package dev.somnus.freeze;

import dev.somnus.api.command.Command;

/** What the family's commands share: a wire name and the one {@link GuestFreeze} they act through. */
abstract class FreezeCommand implements Command {

    private final String name;
    final GuestFreeze freeze;

    FreezeCommand(String name, GuestFreeze freeze) {
        this.name = name;
        this.freeze = freeze;
    }

    @Override
    public final String name() {
        return name;
    }
}
