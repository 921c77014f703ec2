package dev.somnus.credentials;

import dev.somnus.api.command.Command;
import dev.somnus.api.command.CommandException;
import dev.somnus.api.command.JsonType;
import dev.somnus.api.command.Parameter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * {@code guest-ssh-remove-authorized-keys {username, keys}}: qemu-ga 7.2's
 * {@code qmp_guest_ssh_remove_authorized_keys}. Drops every line equal to one of the keys and
 * keeps all others; a missing file (or ~/.ssh, or home) is success without a write, as in
 * qemu-ga. Acting and audited.
 */
@Component(service = Command.class, configurationPid = CredentialsConfig.PID,
        property = {Command.NAME_PROPERTY + "=" + RemoveAuthorizedKeysCommand.NAME, Command.AUDITED + ":Boolean=true",
                Command.ACTING + ":Boolean=true"})
public final class RemoveAuthorizedKeysCommand extends AuthorizedKeysCommand {

    static final String NAME = "guest-ssh-remove-authorized-keys";

    @Activate
    public RemoveAuthorizedKeysCommand(CredentialsConfig config, @Reference(service = LoggerFactory.class) Logger logger) {
        this(root(config), logger);
    }

    RemoveAuthorizedKeysCommand(Path root, Logger logger) {
        super(root, logger);
    }

    @Modified
    void modified(CredentialsConfig config) {
        configure(config);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(Parameter.required("username", JsonType.STRING), Parameter.required("keys", JsonType.ARRAY));
    }

    @Override
    public Object execute(Map<String, Object> arguments) throws CommandException {
        List<String> keys = PublicKeys.fromArgument(arguments.get("keys"));
        AuthorizedKeysFile file = fileOf((String) arguments.get("username"));
        synchronized (AuthorizedKeysFile.WRITES) {
            Optional<AuthorizedKeysText> text = file.read();
            if (text.isEmpty()) {
                logger.audit("audit: {} for {}: nothing to do, {} does not exist", NAME, describe(file), file.path());
                return Map.of();
            }
            AuthorizedKeysText.Edit edit = text.get().remove(keys);
            file.write(edit.after());
            logger.audit("audit: {} for {}: removed {} {}; {} now has {}", NAME, describe(file), count(edit.changed().size(), "line"),
                    PublicKeys.fingerprints(edit.changed()), file.path(), count(edit.after().lineCount(), "line"));
        }
        return Map.of();
    }

    @Override
    public String explain(Map<String, Object> arguments) throws CommandException {
        List<String> keys = PublicKeys.fromArgument(arguments.get("keys"));
        AuthorizedKeysFile file = fileOf((String) arguments.get("username"));
        Optional<AuthorizedKeysText> text = file.read();
        if (text.isEmpty()) {
            return "do nothing: " + file.path() + " does not exist";
        }
        AuthorizedKeysText.Edit edit = text.get().remove(keys);
        return "write " + file.path() + " without " + count(edit.changed().size(), "line") + " "
                + PublicKeys.fingerprints(edit.changed()) + ", " + count(edit.after().lineCount(), "line") + " left";
    }
}
