package dev.somnus.credentials;

import dev.somnus.api.command.Command;
import dev.somnus.api.command.CommandException;
import dev.somnus.api.command.JsonType;
import dev.somnus.api.command.Parameter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * {@code guest-ssh-add-authorized-keys {username, keys, reset?}}: qemu-ga 7.2's
 * {@code qmp_guest_ssh_add_authorized_keys}. Appends the keys not yet in the file (with
 * {@code reset}, replaces the whole file by them), creating ~/.ssh when missing. The file is
 * written even when nothing was added, as qemu-ga does, which also gives it back to the user with
 * mode 0600. Acting and audited.
 */
@Component(service = Command.class, configurationPid = CredentialsConfig.PID,
        property = {Command.NAME_PROPERTY + "=" + AddAuthorizedKeysCommand.NAME, Command.AUDITED + ":Boolean=true",
                Command.ACTING + ":Boolean=true"})
public final class AddAuthorizedKeysCommand extends AuthorizedKeysCommand {

    static final String NAME = "guest-ssh-add-authorized-keys";

    @Activate
    public AddAuthorizedKeysCommand(CredentialsConfig config, @Reference(service = LoggerFactory.class) Logger logger) {
        this(root(config), logger);
    }

    AddAuthorizedKeysCommand(Path root, Logger logger) {
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
        return List.of(Parameter.required("username", JsonType.STRING), Parameter.required("keys", JsonType.ARRAY),
                Parameter.optional("reset", JsonType.BOOLEAN));
    }

    @Override
    public Object execute(Map<String, Object> arguments) throws CommandException {
        Request request = request(arguments);
        AuthorizedKeysFile file = request.file();
        AuthorizedKeysText.Edit edit;
        synchronized (AuthorizedKeysFile.WRITES) {
            edit = request.edit();
            file.write(edit.after());
        }
        logger.audit("audit: {} for {}: {} {} {}, {} already there; {} now has {}", NAME, describe(file),
                request.reset() ? "replaced all keys by" : "added", count(edit.changed().size(), "key"),
                PublicKeys.fingerprints(edit.changed()), request.keys().size() - edit.changed().size(),
                file.path(), count(edit.after().lineCount(), "line"));
        return Map.of();
    }

    @Override
    public String explain(Map<String, Object> arguments) throws CommandException {
        Request request = request(arguments);
        AuthorizedKeysFile file = request.file();
        AuthorizedKeysText.Edit edit = request.edit();
        file.checkWrite();
        String owner = Integer.toUnsignedString(file.user().uid()) + ":" + Integer.toUnsignedString(file.user().gid());
        return (file.sshDirMissing() ? "create " + file.path().getParent() + " (0700, owner " + owner + ") and " : "")
                + "write " + file.path() + " (0600, owner " + owner + ") with "
                + (request.reset() ? "only " + count(edit.changed().size(), "key") : count(edit.changed().size(), "key") + " added")
                + " " + PublicKeys.fingerprints(edit.changed()) + ", " + count(edit.after().lineCount(), "line") + " in all";
    }

    /** The arguments checked in qemu-ga's order: the keys, then the user. */
    private Request request(Map<String, Object> arguments) throws CommandException {
        List<String> keys = PublicKeys.fromArgument(arguments.get("keys"));
        boolean reset = Boolean.TRUE.equals(arguments.get("reset"));
        return new Request(fileOf((String) arguments.get("username")), keys, reset);
    }

    private record Request(AuthorizedKeysFile file, List<String> keys, boolean reset) {

        /**
         * The keys added to: none with reset; else the file, or none when it does not exist (or
         * is in the way, {@link AuthorizedKeysFile#readForAdd}). qemu-ga also starts from nothing
         * when the file cannot be read, and so overwrites it; here an unreadable or refused file
         * is an error instead (a deliberate difference).
         */
        AuthorizedKeysText.Edit edit() throws CommandException {
            AuthorizedKeysText before = reset ? AuthorizedKeysText.empty()
                    : file.readForAdd().orElse(AuthorizedKeysText.empty());
            return before.add(keys);
        }
    }
}
