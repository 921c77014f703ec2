package dev.somnus.credentials;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.osgi.service.log.Logger;

/**
 * A fake guest root for the authorized_keys commands, under a test's @TempDir: {@code etc/passwd}
 * with alice (1000:1000, home /home/alice, which exists and is hers), bob (1001:1001, home
 * /home/bob, also there) and carol (1002:1002, home /home/carol, which does not exist). Nothing
 * outside the folder is read or written, whatever the commands are asked.
 */
final class FakeUsers {

    static final String PASSWD = "root:x:0:0:root:/root:/bin/bash\n"
            + "# a comment line glibc skips\n"
            + "\n"
            + "+nisuser::::::\n"
            + "broken:x:notanumber:1:broken:/home/broken:/bin/sh\n"
            + "short:x:5:5\n"
            + "alice:x:1000:1000:Alice,,,:/home/alice:/bin/bash\n"
            + "bob:x:1001:1001:Bob:/home/bob/:/bin/sh\n"
            + "carol:x:1002:1002:Carol:/home/carol:/bin/sh\n"
            + "alice:x:4000:4000:a second alice getpwnam never finds:/home/other:/bin/sh\n";

    /** Real public keys (ssh-keygen, private halves thrown away) and their ssh-keygen -l fingerprints. */
    static final String ED25519 =
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIFz1xdU4bIEANj4on8X0+iTA8hvMFolN7Ij9st3IfRO alice@example.org";
    static final String ED25519_FINGERPRINT = "ssh-ed25519 SHA256:RG1wydrhgSvH4R3LIzNDGl9i5EXf4WyK4w/iUq/RYyI";
    static final String RSA = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQCmzWpK7G0Y08N2lUeougfqx5NEq2N/Qz/iWdlWaOqkk9u"
            + "+kblnHOjYAOmHJc64hY7WCBgGUYdp1hkKeCC3+siZpOjEjHTfYl7iuSXZQxf0PMVF3jVCSjkwHdASF0qaP1urDtMrT73pvmAiWke"
            + "+hqsb1UeIz27Jl5gV28lvGM8GZQ== bob@x";
    static final String RSA_FINGERPRINT = "ssh-rsa SHA256:+dbQkXO5jxul/qJh67dWMxzK2rgvxh/5cm/J3WBKvnM";

    final Path root;
    final RecordingLogger log = new RecordingLogger();

    FakeUsers(Path root) {
        this.root = root;
        try {
            Files.createDirectories(root.resolve("etc"));
            Files.writeString(root.resolve("etc/passwd"), PASSWD);
            for (String user : List.of("alice", "bob")) {
                Path home = Files.createDirectories(root.resolve("home/" + user));
                int id = user.equals("alice") ? 1000 : 1001;
                Files.setAttribute(home, "unix:uid", id);
                Files.setAttribute(home, "unix:gid", id);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path home(String user) {
        return root.resolve("home/" + user);
    }

    Path ssh(String user) {
        return home(user).resolve(".ssh");
    }

    Path keysFile(String user) {
        return ssh(user).resolve("authorized_keys");
    }

    /** ~/.ssh (0700) and authorized_keys (0600) with this content, both the user's. */
    Path writeKeys(String user, String content) {
        try {
            Path ssh = ssh(user);
            Files.createDirectories(ssh);
            Files.setPosixFilePermissions(ssh, PosixFilePermissions.fromString("rwx------"));
            Path file = keysFile(user);
            Files.write(file, content.getBytes(StandardCharsets.UTF_8));
            int id = user.equals("alice") ? 1000 : 1001;
            for (Path p : List.of(ssh, file)) {
                Files.setAttribute(p, "unix:uid", id, LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(p, "unix:gid", id, LinkOption.NOFOLLOW_LINKS);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String content(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Names in ~/.ssh, to see that no temporary file is left. */
    List<String> sshEntries(String user) {
        try (Stream<Path> entries = Files.list(ssh(user))) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Object attribute(Path path, String name) {
        try {
            return Files.getAttribute(path, name, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    GetAuthorizedKeysCommand get() {
        return new GetAuthorizedKeysCommand(root, log.logger());
    }

    AddAuthorizedKeysCommand add() {
        return new AddAuthorizedKeysCommand(root, log.logger());
    }

    RemoveAuthorizedKeysCommand remove() {
        return new RemoveAuthorizedKeysCommand(root, log.logger());
    }

    static Map<String, Object> args(Object... pairs) {
        Map<String, Object> args = new java.util.LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            args.put((String) pairs[i], pairs[i + 1]);
        }
        return args;
    }

    /** Keeps every audit line, formatted as the OSGi Log formats {} placeholders. */
    static final class RecordingLogger {
        final List<String> audits = java.util.Collections.synchronizedList(new ArrayList<>());

        Logger logger() {
            return (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
                    (proxy, method, arguments) -> {
                        if (method.getName().equals("audit")) {
                            audits.add(format(arguments));
                        }
                        if (method.getReturnType() == boolean.class) {
                            return true;
                        }
                        return method.getName().equals("getName") ? "test" : null;
                    });
        }

        private static String format(Object[] arguments) {
            String text = (String) arguments[0];
            List<Object> values = new ArrayList<>();
            for (int i = 1; i < arguments.length; i++) {
                if (arguments[i] instanceof Object[] array) {
                    values.addAll(List.of(array));
                } else {
                    values.add(arguments[i]);
                }
            }
            StringBuilder out = new StringBuilder();
            int at = 0;
            for (Object value : values) {
                int next = text.indexOf("{}", at);
                out.append(text, at, next).append(value);
                at = next + 2;
            }
            return out.append(text.substring(at)).toString();
        }
    }
}
