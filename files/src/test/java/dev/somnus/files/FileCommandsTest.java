package dev.somnus.files;

import static dev.somnus.files.FileCommandsFixture.args;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.somnus.api.command.CommandException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands on a fake root under a temporary folder: what a host would see. */
class FileCommandsTest {

    @TempDir
    Path temp;

    Path root;
    Path state;

    @BeforeEach
    void tree() throws Exception {
        root = Files.createDirectories(temp.resolve("root"));
        state = Files.createDirectories(temp.resolve("state"));
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/motd"), "hello world");
    }

    private FileCommandsFixture fixture(int maxHandles) {
        return new FileCommandsFixture(root, state, maxHandles);
    }

    @Test
    void numbersHandlesFrom1000AndCommitsTheNextOneToQgaState() throws Exception {
        try (FileCommandsFixture f = fixture(64)) {
            assertThat(f.call("guest-file-open", args("path", "/etc/motd"))).isEqualTo("{\"return\": 1000}");
            assertThat(Files.readString(state.resolve("qga.state"))).isEqualTo("[global]\nfd_counter=1001\n");
            assertThat(f.call("guest-file-open", args("path", "/nothing"))).startsWith("{\"error\"");
            assertThat(f.call("guest-file-close", args("handle", 1000L))).isEqualTo("{\"return\": {}}");
            // closed numbers are not reused, failed opens took none
            assertThat(f.call("guest-file-open", args("path", "/etc/motd"))).isEqualTo("{\"return\": 1001}");
        }
        try (FileCommandsFixture restarted = fixture(64)) {
            assertThat(restarted.call("guest-file-open", args("path", "/etc/motd"))).isEqualTo("{\"return\": 1002}");
        }
        assertThat(state.toFile().list()).containsExactly("qga.state");
    }

    @Test
    void continuesQemuGasCounterAndStartsOverFromABrokenOne() throws Exception {
        Files.writeString(state.resolve("qga.state"), "[global]\nfd_counter=5000\n");
        try (FileCommandsFixture f = fixture(64)) {
            assertThat(f.call("guest-file-open", args("path", "/etc/motd"))).isEqualTo("{\"return\": 5000}");
        }
        Files.writeString(state.resolve("qga.state"), "[global]\nfd_counter=lots\n");
        try (FileCommandsFixture f = fixture(64)) {
            assertThat(f.call("guest-file-open", args("path", "/etc/motd"))).isEqualTo("{\"return\": 1000}");
        }
    }

    @Test
    void failsTheOpenWhenTheCounterCannotBeCommitted() throws Exception {
        try (FileCommandsFixture f = new FileCommandsFixture(root, temp.resolve("no-such-state-dir"), 64)) {
            assertThat(f.call("guest-file-open", args("path", "/etc/motd")))
                    .isEqualTo(error("failed to commit persistent state to disk"));
        }
    }

    @Test
    void takesPathsUnderTheRootAndNamesThemAsTheHostGaveThem() throws Exception {
        try (FileCommandsFixture f = fixture(64)) {
            assertThat(f.call("guest-file-open", args("path", "etc/motd"))).isEqualTo("{\"return\": 1000}");
            assertThat(f.call("guest-file-read", args("handle", 1000L)))
                    .isEqualTo("{\"return\": {\"count\": 11, \"buf-b64\": \"aGVsbG8gd29ybGQ=\", \"eof\": true}}");
            assertThat(f.call("guest-file-open", args("path", "/etc/shadow")))
                    .isEqualTo(error("failed to open file '/etc/shadow' (mode: 'r'): No such file or directory"));
            assertThat(f.call("guest-file-open", args("path", "/etc/a\u0000b")))
                    .isEqualTo(error("failed to open file '/etc/a\u0000b' (mode: 'r'): No such file or directory"));
        }
    }

    @Test
    void acceptsExactlyQemuGasModeSpellings() throws Exception {
        String[] modes = {"r", "rb", "w", "wb", "a", "ab", "r+", "rb+", "r+b", "w+", "wb+", "w+b", "a+", "ab+", "a+b"};
        try (FileCommandsFixture f = fixture(64)) {
            for (String mode : modes) {
                assertThat(f.call("guest-file-open", args("path", "/etc/motd", "mode", mode))).as(mode)
                        .startsWith("{\"return\": ");
            }
            for (String mode : new String[] {"rw", "br", "re", "wx", "r+b+", ""}) {
                assertThat(f.call("guest-file-open", args("path", "/etc/motd", "mode", mode))).as(mode)
                        .isEqualTo(error("invalid file open mode '" + mode + "'"));
            }
        }
    }

    @Test
    void givesNewFilesMode0666WhateverTheUmaskAndLeavesExistingOnesAlone() throws Exception {
        Files.writeString(root.resolve("etc/kept"), "x");
        Files.setPosixFilePermissions(root.resolve("etc/kept"), PosixFilePermissions.fromString("rw-------"));
        try (FileCommandsFixture f = fixture(64)) {
            f.call("guest-file-open", args("path", "/etc/new", "mode", "w"));
            f.call("guest-file-open", args("path", "/etc/kept", "mode", "w"));
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("etc/new"))))
                .isEqualTo("rw-rw-rw-");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("etc/kept"))))
                .isEqualTo("rw-------");
        assertThat(Files.size(root.resolve("etc/kept"))).isZero();
    }

    @Test
    void followsSymbolicLinksToFilesButCreatesNothingThroughADanglingOne() throws Exception {
        Files.createSymbolicLink(root.resolve("etc/link"), Path.of("motd"));
        Files.createSymbolicLink(root.resolve("etc/dangling"), Path.of("nowhere"));
        try (FileCommandsFixture f = fixture(64)) {
            assertThat(f.call("guest-file-open", args("path", "/etc/link", "mode", "a"))).isEqualTo("{\"return\": 1000}");
            f.call("guest-file-write", args("handle", 1000L, "buf-b64", "IQ=="));
            assertThat(f.call("guest-file-open", args("path", "/etc/dangling", "mode", "w")))
                    .isEqualTo(error("failed to open file '/etc/dangling' (mode: 'w'): No such file or directory"));
        }
        assertThat(Files.readString(root.resolve("etc/motd"))).isEqualTo("hello world!");
        assertThat(Files.exists(root.resolve("etc/nowhere"))).isFalse();
    }

    @Test
    void refusesNamedPipesInsteadOfBlocking() throws Exception {
        Path fifo = root.resolve("etc/fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(mkfifo.waitFor()).isZero();
        try (FileCommandsFixture f = fixture(64)) {
            assertThat(f.call("guest-file-open", args("path", "/etc/fifo")))
                    .isEqualTo(error("failed to open file '/etc/fifo' (mode: 'r'): named pipes are not supported by this agent"));
        }
    }

    @Test
    void boundsTheOpenHandlesAndCreatesNothingBeyond() throws Exception {
        try (FileCommandsFixture f = fixture(2)) {
            f.call("guest-file-open", args("path", "/etc/motd"));
            f.call("guest-file-open", args("path", "/etc/motd"));
            assertThat(f.call("guest-file-open", args("path", "/etc/third", "mode", "w")))
                    .isEqualTo(error("failed to open file '/etc/third' (mode: 'w'): Too many open files"
                            + " (at most 2 handles, configuration maxHandles of dev.somnus.files)"));
            assertThat(Files.exists(root.resolve("etc/third"))).isFalse();
            f.call("guest-file-close", args("handle", 1000L));
            assertThat(f.call("guest-file-open", args("path", "/etc/third", "mode", "w"))).isEqualTo("{\"return\": 1002}");
        }
    }

    @Test
    void readsFourKibibytesByDefaultAndAtMost48Mebibytes() throws Exception {
        byte[] data = new byte[5000];
        new java.util.Random(1).nextBytes(data);
        Files.write(root.resolve("etc/data"), data);
        try (FileCommandsFixture f = fixture(64)) {
            f.call("guest-file-open", args("path", "/etc/data"));
            assertThat(f.call("guest-file-read", args("handle", 1000L))).isEqualTo("{\"return\": {\"count\": 4096, \"buf-b64\": \""
                    + Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(data, 4096)) + "\", \"eof\": false}}");
            assertThat(f.call("guest-file-read", args("handle", 1000L, "count", 50331649L)))
                    .isEqualTo(error("value '50331649' is invalid for argument count"));
            assertThat(f.call("guest-file-read", args("handle", 1000L, "count", 50331648L)))
                    .contains("\"count\": 904,").endsWith("\"eof\": true}}");
        }
    }

    @Test
    void appendsAtTheEndWhereverTheHandleWasSought() throws Exception {
        try (FileCommandsFixture f = fixture(64)) {
            f.call("guest-file-open", args("path", "/etc/motd", "mode", "a+"));
            assertThat(f.call("guest-file-seek", args("handle", 1000L, "offset", 0L, "whence", "set")))
                    .isEqualTo("{\"return\": {\"eof\": false, \"position\": 0}}");
            f.call("guest-file-write", args("handle", 1000L, "buf-b64", "IQ=="));
            assertThat(f.call("guest-file-seek", args("handle", 1000L, "offset", 0L, "whence", "cur")))
                    .isEqualTo("{\"return\": {\"eof\": false, \"position\": 12}}");
        }
        assertThat(Files.readString(root.resolve("etc/motd"))).isEqualTo("hello world!");
    }

    @Test
    void keepsTheHandleUsableWhenTheCallingThreadWasInterrupted() throws Exception {
        try (FileCommandsFixture f = fixture(64)) {
            f.call("guest-file-open", args("path", "/etc/motd"));
            Thread.currentThread().interrupt();
            String reply = f.call("guest-file-read", args("handle", 1000L, "count", 5L));
            assertThat(Thread.interrupted()).as("interrupt status restored").isTrue();
            assertThat(reply).isEqualTo("{\"return\": {\"count\": 5, \"buf-b64\": \"aGVsbG8=\", \"eof\": false}}");
            assertThat(f.call("guest-file-read", args("handle", 1000L, "count", 6L))).contains("\"count\": 6");
        }
    }

    @Test
    void explainsWhatADryRunWouldOpenOrWriteAndChecksAsExecuteWould() throws Exception {
        try (FileCommandsFixture f = fixture(64)) {
            assertThat(f.command("guest-file-open").explain(args("path", "/etc/new", "mode", "w")))
                    .isEqualTo("open file '" + root.resolve("etc/new") + "' for writing, created if missing, else"
                            + " truncated (mode 'w') as handle 1000");
            assertThat(f.command("guest-file-open").explain(args("path", "/etc/motd")))
                    .isEqualTo("open file '" + root.resolve("etc/motd") + "' for reading (mode 'r') as handle 1000");
            assertThat(Files.exists(root.resolve("etc/new"))).isFalse();
            assertThatThrownBy(() -> f.command("guest-file-open").explain(args("path", "/etc/motd", "mode", "rw")))
                    .isInstanceOf(CommandException.class).hasMessage("invalid file open mode 'rw'");
            assertThatThrownBy(() -> f.command("guest-file-open").explain(args("path", "/etc/none", "mode", "r+")))
                    .hasMessage("failed to open file '/etc/none' (mode: 'r+'): No such file or directory");
            assertThatThrownBy(() -> f.command("guest-file-write").explain(args("handle", 1000L, "buf-b64", "QUJD")))
                    .hasMessage("handle '1000' has not been found");
            f.call("guest-file-open", args("path", "/etc/motd", "mode", "r+"));
            assertThat(f.command("guest-file-write").explain(args("handle", 1000L, "buf-b64", "QUJD\n", "count", 2L)))
                    .isEqualTo("write 2 bytes to handle 1000 (file '/etc/motd')");
            assertThatThrownBy(() -> f.command("guest-file-write").explain(args("handle", 1000L, "buf-b64", "QUJD", "count", 9L)))
                    .hasMessage("value '9' is invalid for argument count");
        }
        assertThat(Files.readString(root.resolve("etc/motd"))).isEqualTo("hello world");
    }

    @Test
    void closesEveryHandleWhenTheBundleStops() throws Exception {
        FileCommandsFixture f = fixture(64);
        f.call("guest-file-open", args("path", "/etc/motd"));
        f.close();
        assertThat(f.call("guest-file-read", args("handle", 1000L))).isEqualTo(error("handle '1000' has not been found"));
    }

    @Test
    void declaresTheParametersTheRuntimeChecks() throws Exception {
        try (FileCommandsFixture f = fixture(64)) {
            assertThat(f.command("guest-file-seek").parameters()).extracting(p -> p.name() + ":" + p.type())
                    .containsExactly("handle:INTEGER", "offset:INTEGER", "whence:ANY");
            assertThat(f.command("guest-file-write").parameters()).extracting(p -> p.name() + ":" + p.type() + ":" + p.optional())
                    .containsExactly("handle:INTEGER:false", "buf-b64:STRING:false", "count:INTEGER:true");
        }
    }

    private static String error(String desc) {
        return FileCommandsFixture.render(Map.of("error", Map.of("class", "GenericError", "desc", desc)));
    }
}
