package dev.somnus.files;

import static dev.somnus.files.FileCommandsFixture.args;
import static org.assertj.core.api.Assertions.assertThat;

import dev.somnus.testkit.QgaClient;
import dev.somnus.testkit.ReferenceQemuGa;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same guest-file-* script against the live qemu-ga 7.2 and against these commands, on the
 * same temporary tree (rebuilt before each run, so the paths in error texts are the same): every
 * reply must be byte for byte qemu-ga's, handle numbers included (both start from a fresh state
 * folder, so both count from 1000), and the tree must end up the same (contents, modes, links).
 * Only files under the test's folder are opened.
 */
@EnabledIf("dev.somnus.testkit.ReferenceQemuGa#installed")
class FilesDifferentialTest {

    private static final List<String> FILE_COMMANDS = List.of("guest-file-open", "guest-file-close",
            "guest-file-read", "guest-file-write", "guest-file-seek", "guest-file-flush");

    @TempDir
    Path temp;

    record Step(String command, Map<String, Object> arguments) {
    }

    @Test
    void everyReplyAndTheResultingTreeAreQemuGas() throws Exception {
        Path work = temp.resolve("work");
        List<Step> script = script(work);

        buildTree(work);
        List<String> reference = new ArrayList<>();
        try (ReferenceQemuGa qemuGa = ReferenceQemuGa.start(temp.resolve("reference"), FILE_COMMANDS);
                QgaClient client = qemuGa.connect()) {
            for (Step step : script) {
                reference.add(client.call(FileCommandsFixture.request(step.command(), step.arguments())));
            }
        }
        List<String> referenceTree = snapshot(work);

        buildTree(work);
        List<String> own = new ArrayList<>();
        Path state = Files.createDirectories(temp.resolve("own-state"));
        try (FileCommandsFixture fixture = new FileCommandsFixture(Path.of("/"), state, 64)) {
            for (Step step : script) {
                own.add(fixture.call(step.command(), step.arguments()));
            }
        }
        List<String> ownTree = snapshot(work);

        for (int i = 0; i < script.size(); i++) {
            assertThat(own.get(i))
                    .as("reply %d to %s", i, FileCommandsFixture.request(script.get(i).command(), script.get(i).arguments()))
                    .isEqualTo(reference.get(i));
        }
        assertThat(ownTree).isEqualTo(referenceTree);
        assertThat(Files.readString(state.resolve("qga.state")))
                .isEqualTo(Files.readString(temp.resolve("reference").resolve("qga.state")));
    }

    private static void buildTree(Path work) throws IOException {
        if (Files.exists(work, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> all = Files.walk(work)) {
                for (Path p : all.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(work.resolve("dir"));
        Files.writeString(work.resolve("hello"), "hello world");
        Files.writeString(work.resolve("digits"), "0123456789");
        Files.writeString(work.resolve("old"), "to be truncated");
        Files.setPosixFilePermissions(work.resolve("old"), PosixFilePermissions.fromString("rw-r-----"));
        byte[] big = new byte[3 * 1024 * 1024 + 17];
        new Random(14).nextBytes(big);
        Files.write(work.resolve("big"), big);
        Files.createSymbolicLink(work.resolve("dangling"), Path.of("nothing-here"));
        Files.createSymbolicLink(work.resolve("link"), Path.of("hello"));
    }

    /** Every entry with its type, mode and content (or link target), in name order. */
    private static List<String> snapshot(Path work) throws IOException {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> all = Files.walk(work)) {
            for (Path p : all.sorted().toList()) {
                String name = work.relativize(p).toString();
                if (Files.isSymbolicLink(p)) {
                    lines.add(name + " -> " + Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p)) {
                    lines.add(name + "/");
                } else {
                    byte[] content = Files.readAllBytes(p);
                    lines.add(name + " " + PosixFilePermissions.toString(Files.getPosixFilePermissions(p)) + " "
                            + (content.length > 64 ? content.length + " bytes, hash " + java.util.Arrays.hashCode(content)
                                    : Base64.getEncoder().encodeToString(content)));
                }
            }
        }
        return lines;
    }

    private static List<Step> script(Path work) {
        List<Step> s = new ArrayList<>();
        String hello = work.resolve("hello").toString();
        // 1000: read-only, reads at and past the end, counts, writes refused, every kind of whence
        s.add(open(hello, null));
        s.add(step("guest-file-read", "handle", 1000L, "count", 0L));
        s.add(step("guest-file-read", "handle", 1000L, "count", 5L));
        s.add(step("guest-file-read", "handle", 1000L, "count", 6L));
        s.add(step("guest-file-read", "handle", 1000L, "count", 6L));
        s.add(step("guest-file-read", "handle", 1000L, "count", -1L));
        s.add(step("guest-file-read", "handle", 1000L, "count", 48L * 1024 * 1024 + 1));
        s.add(step("guest-file-write", "handle", 1000L, "buf-b64", "QUJD"));
        s.add(step("guest-file-write", "handle", 1000L, "buf-b64", ""));
        for (Object whence : new Object[] {0L, "set", "cur", "end", 1L, 2L, 3L, -1L, Long.MAX_VALUE, "bogus", "SET",
                true, 1.5, null, Map.of(), List.of()}) {
            s.add(step("guest-file-seek", "handle", 1000L, "offset", 2L, "whence", whence));
        }
        s.add(step("guest-file-seek", "handle", 1000L, "offset", -1L, "whence", 0L));
        s.add(step("guest-file-seek", "handle", 1000L, "offset", -20L, "whence", "end"));
        s.add(step("guest-file-seek", "handle", 1000L, "offset", 100L, "whence", "end"));
        s.add(step("guest-file-read", "handle", 1000L));
        s.add(step("guest-file-seek", "handle", 1000L, "offset", 0L, "whence", "set"));
        s.add(step("guest-file-read", "handle", 1000L));
        s.add(step("guest-file-flush", "handle", 1000L));
        s.add(step("guest-file-close", "handle", 1000L));
        s.add(step("guest-file-close", "handle", 1000L));
        // unknown handles: the handle is checked before the arguments' values
        s.add(step("guest-file-read", "handle", -5L, "count", -1L));
        s.add(step("guest-file-write", "handle", 4711L, "buf-b64", "!!"));
        s.add(step("guest-file-seek", "handle", 4711L, "offset", 0L, "whence", 7L));
        s.add(step("guest-file-seek", "handle", 4711L, "offset", 0L, "whence", "bogus"));
        s.add(step("guest-file-flush", "handle", 4711L));
        // opens that fail take no number
        for (String mode : new String[] {"rw", "re", "rb+x", "", "R"}) {
            s.add(open(hello, mode));
        }
        s.add(open(work.resolve("missing").toString(), "r"));
        s.add(open(work.resolve("missing").toString(), "r+"));
        s.add(open(work.resolve("no-dir/new").toString(), "w"));
        s.add(open("", null));
        s.add(open(work.resolve("dangling").toString(), "w"));
        s.add(open(work.resolve("dir").toString(), "w"));
        s.add(open(work.resolve("dir").toString(), "a+"));
        // 1001: a directory opens for reading, and then fails to read
        s.add(open(work.resolve("dir").toString(), "r"));
        s.add(step("guest-file-read", "handle", 1001L));
        s.add(step("guest-file-seek", "handle", 1001L, "offset", 5L, "whence", 0L));
        s.add(step("guest-file-write", "handle", 1001L, "buf-b64", "QUJD"));
        s.add(step("guest-file-close", "handle", 1001L));
        // 1002: a new file, write-only, base64 as hosts send it
        s.add(open(work.resolve("new").toString(), "wb"));
        s.add(step("guest-file-read", "handle", 1002L));
        s.add(step("guest-file-read", "handle", 1002L, "count", 0L));
        for (String b64 : new String[] {"QUJD\nREVG", "QUJD!", "QUJD\u0000QUJD", "QUJDRA", "Q=Q=QQ==QUJD", "QQ",
                "\n", "=", "QUJD\r\n", "w6k=", mime(300)}) {
            s.add(step("guest-file-write", "handle", 1002L, "buf-b64", b64));
        }
        s.add(step("guest-file-write", "handle", 1002L, "buf-b64", "QUJD", "count", 4L));
        s.add(step("guest-file-write", "handle", 1002L, "buf-b64", "QUJD", "count", -1L));
        s.add(step("guest-file-write", "handle", 1002L, "buf-b64", "QUJD", "count", 2L));
        s.add(step("guest-file-write", "handle", 1002L, "buf-b64", "QUJD", "count", 0L));
        s.add(step("guest-file-seek", "handle", 1002L, "offset", 0L, "whence", 1L));
        s.add(step("guest-file-seek", "handle", 1002L, "offset", 10L, "whence", 2L));
        s.add(step("guest-file-write", "handle", 1002L, "buf-b64", "WFla"));
        s.add(step("guest-file-seek", "handle", 1002L, "offset", 0L, "whence", 1L));
        s.add(step("guest-file-flush", "handle", 1002L));
        s.add(step("guest-file-close", "handle", 1002L));
        // 1003: a+ through a symbolic link: reads anywhere, writes at the end
        s.add(open(work.resolve("link").toString(), "a+"));
        s.add(step("guest-file-seek", "handle", 1003L, "offset", 0L, "whence", "cur"));
        s.add(step("guest-file-write", "handle", 1003L, "buf-b64", "QUJD"));
        s.add(step("guest-file-seek", "handle", 1003L, "offset", 0L, "whence", "cur"));
        s.add(step("guest-file-seek", "handle", 1003L, "offset", 0L, "whence", "set"));
        s.add(step("guest-file-read", "handle", 1003L, "count", 3L));
        s.add(step("guest-file-write", "handle", 1003L, "buf-b64", "WFla"));
        s.add(step("guest-file-read", "handle", 1003L, "count", 3L));
        s.add(step("guest-file-seek", "handle", 1003L, "offset", 0L, "whence", "cur"));
        s.add(step("guest-file-close", "handle", 1003L));
        // 1004: a, write-only at the end
        String digits = work.resolve("digits").toString();
        s.add(open(digits, "a"));
        s.add(step("guest-file-seek", "handle", 1004L, "offset", 0L, "whence", 1L));
        s.add(step("guest-file-seek", "handle", 1004L, "offset", 3L, "whence", 0L));
        s.add(step("guest-file-read", "handle", 1004L, "count", 3L));
        s.add(step("guest-file-write", "handle", 1004L, "buf-b64", "QUJD"));
        s.add(step("guest-file-seek", "handle", 1004L, "offset", 0L, "whence", 1L));
        s.add(step("guest-file-close", "handle", 1004L));
        // 1005: r+, one position for reads and writes; seeks the kernel refuses
        s.add(open(digits, "r+b"));
        s.add(step("guest-file-read", "handle", 1005L, "count", 2L));
        s.add(step("guest-file-write", "handle", 1005L, "buf-b64", "eHg="));
        s.add(step("guest-file-read", "handle", 1005L, "count", 2L));
        s.add(step("guest-file-seek", "handle", 1005L, "offset", -20L, "whence", 1L));
        s.add(step("guest-file-seek", "handle", 1005L, "offset", Long.MAX_VALUE, "whence", 1L));
        s.add(step("guest-file-seek", "handle", 1005L, "offset", Long.MAX_VALUE, "whence", 0L));
        s.add(step("guest-file-seek", "handle", 1005L, "offset", 1L << 62, "whence", 0L));
        s.add(step("guest-file-seek", "handle", 1005L, "offset", Long.MIN_VALUE, "whence", 2L));
        s.add(step("guest-file-read", "handle", 1005L, "count", 2L));
        s.add(step("guest-file-write", "handle", 1005L, "buf-b64", "eHg="));
        s.add(step("guest-file-seek", "handle", 1005L, "offset", 0L, "whence", "end"));
        s.add(step("guest-file-read", "handle", 1005L, "count", 2L));
        s.add(step("guest-file-close", "handle", 1005L));
        // 1006, 1007: w truncates (keeping the mode), w+ reads back what it wrote
        s.add(open(work.resolve("old").toString(), "w"));
        s.add(step("guest-file-write", "handle", 1006L, "buf-b64", "bmV3"));
        s.add(open(work.resolve("plus").toString(), "w+"));
        s.add(step("guest-file-write", "handle", 1007L, "buf-b64", "MDEyMzQ1Njc4OQ=="));
        s.add(step("guest-file-seek", "handle", 1007L, "offset", 4L, "whence", "set"));
        s.add(step("guest-file-read", "handle", 1007L, "count", 3L));
        s.add(step("guest-file-write", "handle", 1007L, "buf-b64", "LS0="));
        s.add(step("guest-file-read", "handle", 1007L));
        s.add(step("guest-file-close", "handle", 1007L));
        s.add(step("guest-file-close", "handle", 1006L));
        // 1008: a big file in Proxmox's 1 MiB chunks, up to and past its end
        s.add(open(work.resolve("big").toString(), "rb"));
        for (int i = 0; i < 5; i++) {
            s.add(step("guest-file-read", "handle", 1008L, "count", 1024L * 1024));
        }
        s.add(step("guest-file-seek", "handle", 1008L, "offset", -4096L, "whence", "end"));
        s.add(step("guest-file-read", "handle", 1008L));
        s.add(step("guest-file-read", "handle", 1008L));
        s.add(step("guest-file-close", "handle", 1008L));
        return s;
    }

    /** 3 x {@code bytes} of base64 in 76-column lines, as Perl's MIME::Base64 (Proxmox) sends it. */
    private static String mime(int bytes) {
        byte[] data = new byte[bytes];
        new Random(7).nextBytes(data);
        return Base64.getMimeEncoder(76, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(data) + "\n";
    }

    private static Step open(String path, String mode) {
        return mode == null ? step("guest-file-open", "path", path) : step("guest-file-open", "path", path, "mode", mode);
    }

    private static Step step(String command, Object... namesAndValues) {
        return new Step(command, args(namesAndValues));
    }
}
