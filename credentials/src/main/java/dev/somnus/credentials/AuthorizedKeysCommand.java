package dev.somnus.credentials;

import dev.somnus.api.command.Command;
import dev.somnus.api.command.CommandException;
import java.nio.file.Path;
import org.osgi.service.log.Logger;

/**
 * What the three authorized_keys commands share: the configured root and the logger their audit
 * lines go to. The runtime writes its own audit lines (who asked, what came of it); these say what
 * changed in which file, with key fingerprints instead of keys.
 */
abstract class AuthorizedKeysCommand implements Command {

    private volatile Path root;
    final Logger logger;

    AuthorizedKeysCommand(Path root, Logger logger) {
        this.root = root;
        this.logger = logger;
    }

    static Path root(CredentialsConfig config) {
        return Path.of(config.root());
    }

    /** A new root applies to the next request; the command stays registered. */
    void configure(CredentialsConfig config) {
        root = root(config);
    }

    AuthorizedKeysFile fileOf(String username) throws CommandException {
        return AuthorizedKeysFile.of(root, username);
    }

    static String describe(AuthorizedKeysFile file) {
        return file.user().name() + " (uid " + Integer.toUnsignedString(file.user().uid()) + ")";
    }

    /** {@code 1 key}, {@code 2 keys}: audit lines and dry runs count in words. */
    static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
