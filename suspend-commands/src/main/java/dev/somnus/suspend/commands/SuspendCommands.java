package dev.somnus.suspend.commands;

import dev.somnus.api.command.Command;
import dev.somnus.api.provider.Provider;
import dev.somnus.api.suspend.SuspendMode;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import org.osgi.service.component.ComponentFactory;
import org.osgi.service.component.ComponentInstance;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Makes the three {@code guest-suspend-*} commands, one {@link SuspendCommand} instance per
 * {@link SuspendMode}, as soon as this bundle starts. A factory component rather than factory
 * configurations: {@code ComponentFactory.newInstance} activates and registers each command before
 * it returns, so the commands are there from the bundle's start on, whether or not (and whenever)
 * fileinstall delivers conf/; nothing an administrator deletes from conf/ makes them vanish, and a
 * test framework needs no configuration to have them.
 */
@Component(immediate = true, service = {})
public final class SuspendCommands {

    private final List<ComponentInstance<Command>> instances = new ArrayList<>();

    @Activate
    public SuspendCommands(@Reference(target = "(component.factory=" + SuspendCommand.FACTORY + ")")
            ComponentFactory<Command> factory) {
        try {
            for (SuspendMode mode : SuspendMode.values()) {
                instances.add(factory.newInstance(properties(mode)));
            }
        } catch (RuntimeException e) {
            deactivate();
            throw e;
        }
    }

    /** The instance's properties: its mode, its wire name, the providers it binds. */
    static Hashtable<String, Object> properties(SuspendMode mode) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("mode", mode.id());
        properties.put(Command.NAME_PROPERTY, mode.command());
        properties.put("providers.target", "(&(" + Provider.FAMILY + "=" + SuspendMode.FAMILY + ")(" + Provider.MODE
                + "=" + mode.id() + "))");
        return properties;
    }

    @Deactivate
    void deactivate() {
        for (ComponentInstance<Command> instance : instances) {
            instance.dispose();
        }
        instances.clear();
    }
}
