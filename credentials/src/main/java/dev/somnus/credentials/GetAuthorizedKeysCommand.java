package dev.somnus.credentials;

import dev.somnus.api.command.Command;
import dev.somnus.api.command.CommandException;
import dev.somnus.api.command.JsonType;
import dev.somnus.api.command.Parameter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * {@code guest-ssh-get-authorized-keys {username}} → {@code {"keys": [...]}}: qemu-ga 7.2's
 * {@code qmp_guest_ssh_get_authorized_keys} (qga/commands-posix-ssh.c). Audited: it reveals which
 * keys open an account.
 */
@Component(service = Command.class, configurationPid = CredentialsConfig.PID,
        property = {Command.NAME_PROPERTY + "=" + GetAuthorizedKeysCommand.NAME, Command.AUDITED + ":Boolean=true"})
@Designate(ocd = CredentialsConfig.class)
public final class GetAuthorizedKeysCommand extends AuthorizedKeysCommand {

    static final String NAME = "guest-ssh-get-authorized-keys";

    @Activate
    public GetAuthorizedKeysCommand(CredentialsConfig config, @Reference(service = LoggerFactory.class) Logger logger) {
        this(root(config), logger);
    }

    GetAuthorizedKeysCommand(Path root, Logger logger) {
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
        return List.of(Parameter.required("username", JsonType.STRING));
    }

    @Override
    public Object execute(Map<String, Object> arguments) throws CommandException {
        AuthorizedKeysFile file = fileOf((String) arguments.get("username"));
        List<String> keys = file.read().orElseThrow(file::missing).keys();
        logger.audit("audit: {} for {}: {} read from {} {}", NAME, describe(file), count(keys.size(), "key"), file.path(),
                PublicKeys.fingerprints(keys));
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("keys", new ArrayList<Object>(keys));
        return reply;
    }
}
