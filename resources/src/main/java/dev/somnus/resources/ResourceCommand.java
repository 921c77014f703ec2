package dev.somnus.resources;

import dev.somnus.api.command.Command;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Modified;

/**
 * What every command of this bundle shares: its wire name and the configured root, which a changed
 * configuration replaces in place (the command stays registered). The components inherit
 * {@link #configure} as their activate and modified method (bnd.bnd: -dsannotations-options: inherit).
 */
abstract class ResourceCommand implements Command {

    private final String name;
    private volatile SystemRoot root = SystemRoot.of("/");

    ResourceCommand(String name) {
        this.name = name;
    }

    @Activate
    @Modified
    void configure(ResourcesConfiguration config) {
        root = SystemRoot.of(config.root());
    }

    @Override
    public final String name() {
        return name;
    }

    /** The root for one request: read once, so a configuration change never splits a request. */
    final SystemRoot root() {
        return root;
    }
}
