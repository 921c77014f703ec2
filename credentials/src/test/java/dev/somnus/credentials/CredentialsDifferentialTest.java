package dev.somnus.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import dev.somnus.api.command.CommandException;
import dev.somnus.runtime.qmp.GrowableBytes;
import dev.somnus.runtime.qmp.JsonWriter;
import dev.somnus.testkit.QgaClient;
import dev.somnus.testkit.ReferenceQemuGa;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * guest-ssh-get-authorized-keys against the live qemu-ga 7.2, on this machine's real root, byte
 * for byte. Only get is ever enabled in the reference (add and remove would act on real homes),
 * and only users whose keys no test may see are asked for: names that are in no passwd, and the
 * system accounts nobody, daemon and bin where this machine has them without an authorized_keys
 * (glib's missing-file text, with qemu-ga's \\u escapes of its curly quotes). No user is created.
 */
@EnabledIf("dev.somnus.testkit.ReferenceQemuGa#installed")
class CredentialsDifferentialTest {

    @Test
    void answersUnknownUsersAndMissingFilesExactlyAsQemuGa(@TempDir Path dir) throws Exception {
        List<String> users = new ArrayList<>(List.of("nosuchuser-somnus", "", "nosuchuser-\u00fc-somnus", "a/b", "x'y"));
        String passwd = Files.readString(Path.of("/etc/passwd"));
        for (String system : List.of("nobody", "daemon", "bin")) {
            for (String line : passwd.split("\n")) {
                String[] fields = line.split(":", -1);
                if (fields.length == 7 && fields[0].equals(system)
                        && !Files.exists(Path.of(fields[5], ".ssh", "authorized_keys"))) {
                    users.add(system);
                }
            }
        }
        GetAuthorizedKeysCommand ours = new GetAuthorizedKeysCommand(Path.of("/"), new FakeUsers.RecordingLogger().logger());
        try (ReferenceQemuGa reference = ReferenceQemuGa.start(dir, List.of("guest-ssh-get-authorized-keys"));
                QgaClient client = reference.connect()) {
            for (String user : users) {
                GrowableBytes request = new GrowableBytes(128);
                request.putAscii("{\"execute\":\"guest-ssh-get-authorized-keys\",\"arguments\":{\"username\":");
                JsonWriter.writeValue(request, user);
                request.putAscii("}}");
                String theirs = client.call(new String(request.array(), 0, request.length(), StandardCharsets.ISO_8859_1));
                assertThat(render(ours, user)).as("user '%s'", user).isEqualTo(theirs);
            }
        }
        assertThat(users).contains("nosuchuser-somnus");
    }

    /** Our reply as the agent writes it. */
    private static String render(GetAuthorizedKeysCommand command, String user) {
        GrowableBytes out = new GrowableBytes(256);
        try {
            Object value = command.execute(Map.of("username", user));
            out.put("{\"return\": ".getBytes(StandardCharsets.US_ASCII));
            JsonWriter.writeValue(out, value);
        } catch (CommandException e) {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("class", e.errorClass());
            error.put("desc", e.desc());
            out.put("{\"error\": ".getBytes(StandardCharsets.US_ASCII));
            JsonWriter.writeValue(out, error);
        }
        out.put('}');
        return new String(out.array(), 0, out.length(), StandardCharsets.ISO_8859_1);
    }
}
