package dev.somnus.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.somnus.api.command.CommandException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** guest-get-vcpus and guest-set-vcpus on a fake /sys/devices/system/cpu. */
class VcpusTest {

    private static final String CPU = "/sys/devices/system/cpu/";

    @TempDir
    Path dir;

    private FakeTree tree;
    private final GetVcpusCommand get = new GetVcpusCommand();
    private final SetVcpusCommand set = new SetVcpusCommand();

    @BeforeEach
    void twoOnlineOneOffline() {
        // as on x86: cpu0 has no online file; the folder holds more than cpuN entries
        tree = new FakeTree(dir).folder(CPU + "cpu0/topology")
                .file(CPU + "cpu1/online", "1\n")
                .file(CPU + "cpu2/online", "0\n")
                .folder(CPU + "cpufreq").folder(CPU + "cpuidle")
                .file(CPU + "online", "0-1\n").file(CPU + "possible", "0-2\n").file(CPU + "kernel_max", "8191\n");
        get.configure(tree.configuration());
        set.configure(tree.configuration());
    }

    @Test
    void everyCpuFolderWithItsState() throws Exception {
        assertThat(list(get.execute(Map.of()))).containsExactlyInAnyOrder(
                vcpu(0, true, false), vcpu(1, true, true), vcpu(2, false, true));
    }

    @Test
    void anyByteButZeroIsOnline() throws Exception {
        tree.file(CPU + "cpu1/online", "x");
        assertThat(list(get.execute(Map.of()))).contains(vcpu(1, true, true));
    }

    @Test
    void namesAreMatchedAsSscanfCpuPercentLd() {
        assertThat(GetVcpusCommand.logicalId("cpu12")).hasValue(12);
        assertThat(GetVcpusCommand.logicalId("cpu3x")).hasValue(3);
        assertThat(GetVcpusCommand.logicalId("cpu-1")).hasValue(-1);
        assertThat(GetVcpusCommand.logicalId("cpufreq")).isEmpty();
        assertThat(GetVcpusCommand.logicalId("cpu")).isEmpty();
        assertThat(GetVcpusCommand.logicalId("node0")).isEmpty();
    }

    @Test
    void aCpuThatIsNoFolderFailsTheCommand() {
        tree.file(CPU + "cpu3", "");
        assertThatThrownBy(() -> get.execute(Map.of())).isInstanceOf(CommandException.class)
                .hasMessage("open(\"" + tree.shown(CPU + "cpu3/") + "\"): Not a directory");
    }

    @Test
    void anEmptyOnlineFileIsAnUnexpectedEof() {
        tree.file(CPU + "cpu1/online", "");
        assertThatThrownBy(() -> get.execute(Map.of()))
                .hasMessage("pread(\"" + tree.shown(CPU + "cpu1/") + "/online\"): unexpected EOF");
    }

    @Test
    void anOnlineFolderCannotBeRead() {
        tree.folder(CPU + "cpu3/online");
        assertThatThrownBy(() -> get.execute(Map.of()))
                .hasMessage("pread(\"" + tree.shown(CPU + "cpu3/") + "/online\"): Is a directory");
    }

    @Test
    void noCpuFolderCannotBeListed() {
        get.configure(FakeTree.configuration(dir.resolve("nothing").toString()));
        assertThatThrownBy(() -> get.execute(Map.of())).hasMessage(
                "failed to list entries: " + dir.resolve("nothing") + "/sys/devices/system/cpu: No such file or directory");
    }

    @Test
    void offliningWritesZeroAndCountsTheProcessor() throws Exception {
        assertThat(set.execute(vcpus(request(1, false)))).isEqualTo(1L);
        assertThat(tree.read(CPU + "cpu1/online")).isEqualTo("0\n");
    }

    @Test
    void onliningWritesOne() throws Exception {
        assertThat(set.execute(vcpus(request(2, true), request(1, true)))).isEqualTo(2L);
        assertThat(tree.read(CPU + "cpu2/online")).isEqualTo("1\n");
        assertThat(tree.read(CPU + "cpu1/online")).isEqualTo("1\n");
    }

    @Test
    void aProcessorAlreadyInTheStateIsNotWritten() throws Exception {
        tree.file(CPU + "cpu1/online", "1 untouched");
        assertThat(set.execute(vcpus(request(1, true)))).isEqualTo(1L);
        assertThat(tree.read(CPU + "cpu1/online")).isEqualTo("1 untouched");
    }

    @Test
    void aProcessorWithoutOnlineFileCannotBeOfflined() {
        assertThatThrownBy(() -> set.execute(vcpus(request(0, false))))
                .hasMessage("logical processor #0 can't be offlined");
    }

    @Test
    void aProcessorWithoutOnlineFileIsOnlinedByPretending() throws Exception {
        assertThat(set.execute(vcpus(request(0, true)))).isEqualTo(1L);
    }

    @Test
    void aLaterFailureStopsAndAnswersTheCountSoFar() throws Exception {
        assertThat(set.execute(vcpus(request(1, false), request(0, false), request(2, true)))).isEqualTo(1L);
        assertThat(tree.read(CPU + "cpu1/online")).isEqualTo("0\n");
        assertThat(tree.read(CPU + "cpu2/online")).isEqualTo("0\n");
    }

    @Test
    void aMissingProcessorFirstIsTheError() {
        assertThatThrownBy(() -> set.execute(vcpus(request(9, true))))
                .hasMessage("open(\"" + tree.shown(CPU + "cpu9/") + "\"): No such file or directory");
    }

    @Test
    void anEmptyListProcessesNothing() throws Exception {
        assertThat(set.execute(vcpus())).isEqualTo(0L);
    }

    @Test
    void elementsAreCheckedAsTheQapiVisitorChecksThemBeforeAnythingIsWritten() {
        assertArgumentError(List.of(request(1, false), 5), "Invalid parameter type for 'vcpus[1]', expected: object");
        assertArgumentError(List.of(request(1, false), Map.of("online", true)), "Parameter 'vcpus[1].logical-id' is missing");
        assertArgumentError(List.of(Map.of("logical-id", 1L)), "Parameter 'vcpus[0].online' is missing");
        assertArgumentError(List.of(Map.of("logical-id", "1", "online", true)),
                "Invalid parameter type for 'vcpus[0].logical-id', expected: integer");
        assertArgumentError(List.of(Map.of("logical-id", 1.0, "online", true)),
                "Invalid parameter type for 'vcpus[0].logical-id', expected: integer");
        assertArgumentError(List.of(Map.of("logical-id", 1L, "online", 1L)),
                "Invalid parameter type for 'vcpus[0].online', expected: boolean");
        assertArgumentError(List.of(Map.of("logical-id", 1L, "online", false, "can-offline", "yes")),
                "Invalid parameter type for 'vcpus[0].can-offline', expected: boolean");
        assertArgumentError(List.of(Map.of("logical-id", 1L, "online", false, "cpu", 1L)),
                "Parameter 'vcpus[0].cpu' is unexpected");
        assertThat(tree.read(CPU + "cpu1/online")).isEqualTo("1\n");
    }

    @Test
    void canOfflineIsAcceptedAndIgnored() throws Exception {
        assertThat(set.execute(vcpus(Map.of("logical-id", 1L, "online", false, "can-offline", false)))).isEqualTo(1L);
        assertThat(tree.read(CPU + "cpu1/online")).isEqualTo("0\n");
    }

    @Test
    void aDryRunNamesTheFilesItWouldWriteAndWritesNone() throws Exception {
        String explained = set.explain(vcpus(request(1, false), request(2, false), request(2, true), request(0, false)));
        assertThat(explained).isEqualTo("write '0' to " + tree.shown(CPU + "cpu1/") + "/online, write '1' to "
                + tree.shown(CPU + "cpu2/") + "/online and stop at the next processor (logical processor #0 can't be"
                + " offlined), answering 3");
        assertThat(tree.read(CPU + "cpu1/online")).isEqualTo("1\n");
        assertThat(tree.read(CPU + "cpu2/online")).isEqualTo("0\n");
    }

    @Test
    void aDryRunFailsAsTheCommandWould() {
        assertThatThrownBy(() -> set.explain(vcpus(request(0, false))))
                .hasMessage("logical processor #0 can't be offlined");
    }

    private void assertArgumentError(List<Object> elements, String desc) {
        assertThatThrownBy(() -> set.execute(Map.of("vcpus", elements))).isInstanceOf(CommandException.class)
                .hasMessage(desc);
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object reply) {
        return (List<Object>) reply;
    }

    private static Map<String, Object> vcpu(long id, boolean online, boolean canOffline) {
        return Map.of("logical-id", id, "online", online, "can-offline", canOffline);
    }

    private static Map<String, Object> request(long id, boolean online) {
        return Map.of("logical-id", id, "online", online);
    }

    private static Map<String, Object> vcpus(Object... elements) {
        return Map.of("vcpus", List.of(elements));
    }
}
