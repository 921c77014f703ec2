package dev.somnus.provider.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * A fake helper program for tests: a {@code #!/bin/sh} script that appends its arguments (one line
 * per call, words joined by spaces) to {@code <name>.log} and exits with a code read from a file:
 * {@code <name>.<arg1>.<arg2>.exit}, else {@code <name>.<arg1>.exit}, else {@code <name>.exit},
 * else 0. It never does anything else, so no test can suspend the machine.
 */
public final class FakeHelper {

    private final Path script;
    private final Path log;

    private FakeHelper(Path script) {
        this.script = script;
        this.log = script.resolveSibling(script.getFileName() + ".log");
    }

    /** Creates the script {@code dir/name}. */
    public static FakeHelper create(Path dir, String name) {
        Path script = dir.resolve(name);
        String text = "#!/bin/sh\n"
                + "d=$(dirname \"$0\"); n=$(basename \"$0\")\n"
                + "echo \"$*\" >> \"$d/$n.log\"\n"
                + "for f in \"$d/$n.$1.$2.exit\" \"$d/$n.$1.exit\" \"$d/$n.exit\"; do\n"
                + "  if [ -f \"$f\" ]; then echo \"fake $n says $(cat \"$f\")\" >&2; exit $(cat \"$f\"); fi\n"
                + "done\n"
                + "exit 0\n";
        try {
            Files.writeString(script, text, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new FakeHelper(script);
    }

    /** The absolute path to configure. */
    public String path() {
        return script.toString();
    }

    /** Every call answers {@code code}. */
    public FakeHelper exitWith(int code) {
        return write(script.getFileName() + ".exit", code);
    }

    /** Calls whose arguments start with {@code firstArgs} (one or two words) answer {@code code}. */
    public FakeHelper exitWith(int code, String... firstArgs) {
        return write(script.getFileName() + "." + String.join(".", firstArgs) + ".exit", code);
    }

    /** The arguments of every call so far, one entry per call. */
    public List<String> calls() {
        try {
            return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes the script, as if the package were uninstalled. */
    public void uninstall() {
        try {
            Files.deleteIfExists(script);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private FakeHelper write(String file, int code) {
        try {
            Files.writeString(script.resolveSibling(file), Integer.toString(code));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }
}
