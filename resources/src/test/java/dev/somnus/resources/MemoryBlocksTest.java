package dev.somnus.resources;

import static dev.somnus.resources.VcpusTest.list;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** guest-get-memory-blocks, guest-set-memory-blocks and guest-get-memory-block-info on a fake /sys. */
class MemoryBlocksTest {

    private static final String MEMORY = "/sys/devices/system/memory/";

    @TempDir
    Path dir;

    private FakeTree tree;
    private final GetMemoryBlocksCommand get = new GetMemoryBlocksCommand();
    private final SetMemoryBlocksCommand set = new SetMemoryBlocksCommand();
    private final GetMemoryBlockInfoCommand info = new GetMemoryBlockInfoCommand();

    @BeforeEach
    void fourBlocks() {
        tree = new FakeTree(dir).file(MEMORY + "block_size_bytes", "8000000\n")
                .file(MEMORY + "auto_online_blocks", "offline\n").folder(MEMORY + "power")
                .file(MEMORY + "memory0/state", "online\n").file(MEMORY + "memory0/removable", "1\n")
                .file(MEMORY + "memory1/state", "offline\n").file(MEMORY + "memory1/removable", "0\n")
                .folder(MEMORY + "memory32") // an old kernel's block: no state, no removable
                .file(MEMORY + "memory33/state", "online\n");
        get.configure(tree.configuration());
        set.configure(tree.configuration());
        info.configure(tree.configuration());
    }

    @Test
    void everyMemoryFolderWithItsState() throws Exception {
        assertThat(list(get.execute(Map.of()))).containsExactlyInAnyOrder(block(0, true, true),
                block(1, false, false), block(32, true, false), block(33, true, false));
    }

    @Test
    void anEmptyStateFileFailsTheCommand() {
        tree.file(MEMORY + "memory33/state", "");
        assertThatThrownBy(() -> get.execute(Map.of())).hasMessage("pread sysfs file \"state\": unexpected EOF");
    }

    @Test
    void anEmptyRemovableFileFailsTheCommand() {
        tree.file(MEMORY + "memory33/removable", "");
        assertThatThrownBy(() -> get.execute(Map.of())).hasMessage("pread sysfs file \"removable\": unexpected EOF");
    }

    @Test
    void aStateFolderCannotBeRead() {
        tree.folder(MEMORY + "memory34/state");
        assertThatThrownBy(() -> get.execute(Map.of())).hasMessage("pread sysfs file \"state\": Is a directory");
    }

    @Test
    void noMemoryFolderIsNoBlocks() throws Exception {
        get.configure(FakeTree.configuration(dir.resolve("nothing").toString()));
        assertThat(list(get.execute(Map.of()))).isEmpty();
    }

    @Test
    void aMemoryFolderWithoutBlocksIsAnError() {
        FakeTree empty = new FakeTree(dir.resolve("empty")).file(MEMORY + "block_size_bytes", "8000000\n");
        get.configure(empty.configuration());
        assertThatThrownBy(() -> get.execute(Map.of())).hasMessage("guest reported zero memory blocks!");
    }

    @Test
    void aMemoryFileInsteadOfAFolderCannotBeOpened() {
        FakeTree broken = new FakeTree(dir.resolve("broken")).file("/sys/devices/system/memory", "");
        get.configure(broken.configuration());
        assertThatThrownBy(() -> get.execute(Map.of())).hasMessage(
                "Can't open directory\"" + broken.shown(MEMORY) + "\": Not a directory");
    }

    @Test
    void blockSizeIsTheHexNumber() throws Exception {
        assertThat(info.execute(Map.of())).isEqualTo(Map.of("size", 134217728L));
        tree.file(MEMORY + "block_size_bytes", "0x10");
        assertThat(info.execute(Map.of())).isEqualTo(Map.of("size", 16L));
        tree.file(MEMORY + "block_size_bytes", "-1\n");
        assertThat(info.execute(Map.of())).isEqualTo(Map.of("size", new BigInteger("18446744073709551615")));
    }

    @Test
    void blockSizeErrors() {
        tree.file(MEMORY + "block_size_bytes", "");
        assertThatThrownBy(() -> info.execute(Map.of())).hasMessage("pread sysfs file \"block_size_bytes\": unexpected EOF");
        tree.path(MEMORY + "block_size_bytes").toFile().delete();
        assertThatThrownBy(() -> info.execute(Map.of()))
                .hasMessage("open sysfs file \"block_size_bytes\": No such file or directory");
        info.configure(FakeTree.configuration(dir.resolve("nothing").toString()));
        assertThatThrownBy(() -> info.execute(Map.of())).hasMessage(
                "open(\"" + dir.resolve("nothing") + MEMORY + "\"): No such file or directory");
    }

    @Test
    void settingWritesTheNewStateAndAnswersSuccess() throws Exception {
        List<Object> reply = list(set.execute(blocks(request(1, true), request(0, false), request(33, true))));
        assertThat(reply).containsExactly(response(1, "success", null), response(0, "success", null),
                response(33, "success", null));
        // one write at offset 0, as qemu-ga's pwrite: sysfs reads the word, a plain file keeps the rest
        assertThat(tree.read(MEMORY + "memory1/state")).isEqualTo("onlinee\n");
        assertThat(tree.read(MEMORY + "memory0/state")).isEqualTo("offline");
        assertThat(tree.read(MEMORY + "memory33/state")).isEqualTo("online\n");
    }

    @Test
    void failuresAreResponsesWithTheErrno() throws Exception {
        tree.folder(MEMORY + "memory40/state");
        tree.file(MEMORY + "memory41/state", "");
        List<Object> reply = list(set.execute(blocks(request(9, true), request(32, false), request(32, true),
                request(40, false), request(41, false))));
        assertThat(reply).containsExactly(response(9, "not-found", 2L),
                response(32, "operation-not-supported", 2L), response(32, "success", 2L),
                response(40, "operation-failed", 21L), response(41, "operation-failed", 0L));
    }

    @Test
    void noMemoryFolderIsNotSupported() throws Exception {
        set.configure(FakeTree.configuration(dir.resolve("nothing").toString()));
        assertThat(list(set.execute(blocks(request(0, false))))).containsExactly(
                response(0, "operation-not-supported", 2L));
    }

    @Test
    void physIndexIsAUint64() throws Exception {
        assertThat(list(set.execute(blocks(Map.of("phys-index", -1L, "online", true))))).containsExactly(
                responseOf(new BigInteger("18446744073709551615"), "not-found", 2L));
        assertThatThrownBy(() -> set.execute(blocks(Map.of("phys-index", 1.5, "online", true))))
                .hasMessage("Parameter 'mem-blks[0].phys-index' expects uint64");
        assertThatThrownBy(() -> set.execute(blocks(request(0, true), Map.of("online", true))))
                .hasMessage("Parameter 'mem-blks[1].phys-index' is missing");
        assertThatThrownBy(() -> set.execute(blocks(Map.of("phys-index", 0L, "online", true, "size", 1L))))
                .hasMessage("Parameter 'mem-blks[0].size' is unexpected");
    }

    @Test
    void aDryRunNamesTheFilesItWouldWriteAndWritesNone() throws Exception {
        String explained = set.explain(blocks(request(1, true), request(0, true), request(9, false)));
        assertThat(explained).isEqualTo("write 'online' to " + tree.shown(MEMORY + "memory1/") + "state, answering "
                + List.of(response(1, "success", null), response(0, "success", null), response(9, "not-found", 2L)));
        assertThat(tree.read(MEMORY + "memory1/state")).isEqualTo("offline\n");
    }

    private static Map<String, Object> block(long index, boolean online, boolean canOffline) {
        return Map.of("phys-index", index, "online", online, "can-offline", canOffline);
    }

    private static Map<String, Object> request(long index, boolean online) {
        return Map.of("phys-index", index, "online", online);
    }

    private static Map<String, Object> response(long index, String response, Long errorCode) {
        return responseOf(index, response, errorCode);
    }

    private static Map<String, Object> responseOf(Object index, String response, Long errorCode) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("phys-index", index);
        map.put("response", response);
        if (errorCode != null) {
            map.put("error-code", errorCode);
        }
        return map;
    }

    private static Map<String, Object> blocks(Object... elements) {
        return Map.of("mem-blks", List.of(elements));
    }
}
