package dev.somnus.suspend.sysfs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.somnus.api.provider.Availability;
import dev.somnus.api.provider.Outcome;
import dev.somnus.api.provider.Reasons;
import dev.somnus.api.suspend.SuspendMode;
import dev.somnus.provider.common.Configs;
import dev.somnus.provider.common.ProviderMethod;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sysfs provider against a fake /sys/power folder. */
class SysfsProviderTest {

    @TempDir
    Path root;

    private Map<String, ProviderMethod> methods(Object... overrides) {
        Object[] all = new Object[overrides.length + 2];
        all[0] = "root";
        all[1] = root.toString();
        System.arraycopy(overrides, 0, all, 2, overrides.length);
        return SysfsProvider.methods(Configs.of(SysfsProvider.Config.class, all));
    }

    private void state(String text) throws Exception {
        Files.writeString(root.resolve("state"), text);
    }

    private void disk(String text) throws Exception {
        Files.writeString(root.resolve("disk"), text);
    }

    private String read(String file) throws Exception {
        return Files.readString(root.resolve(file), StandardCharsets.US_ASCII);
    }

    @Test
    void diskAndRamAreAvailableWhereStateOffersThem() throws Exception {
        state("freeze mem disk\n");

        Availability disk = methods().get(SuspendMode.DISK.id()).probe();
        Availability ram = methods().get(SuspendMode.RAM.id()).probe();

        assertThat(disk.available()).isTrue();
        assertThat(disk.reason()).isEqualTo(Reasons.SUPPORTED);
        assertThat(disk.sentence()).isEqualTo(root.resolve("state") + " holds \"freeze mem disk\"");
        assertThat(ram.available()).isTrue();
    }

    @Test
    void aModeMissingFromStateIsNotOffered() throws Exception {
        state("freeze mem\n");

        Availability disk = methods().get(SuspendMode.DISK.id()).probe();

        assertThat(disk.available()).isFalse();
        assertThat(disk.reason()).isEqualTo(Reasons.MODE_NOT_OFFERED);
        assertThat(disk.sentence())
                .isEqualTo(root.resolve("state") + " holds \"freeze mem\", which does not offer \"disk\"");
        assertThat(methods().get(SuspendMode.RAM.id()).probe().available()).isTrue();
    }

    @Test
    void theWordIsMatchedAsASubstringLikeQemuGa() throws Exception {
        // qemu-ga's strstr() test (§4.3): "memory" would count as "mem"; we keep that behaviour.
        state("memory");

        assertThat(methods().get(SuspendMode.RAM.id()).probe().available()).isTrue();
    }

    @Test
    void anUnreadableStateIsReported() throws Exception {
        Availability answer = methods().get(SuspendMode.RAM.id()).probe();

        assertThat(answer.reason()).isEqualTo(Reasons.INTERFACE_UNREADABLE);
        assertThat(answer.sentence())
                .isEqualTo(root.resolve("state") + " could not be read: No such file or directory");
    }

    @Test
    void hybridNeedsDiskInStateAndSuspendInDisk() throws Exception {
        state("freeze mem disk\n");
        disk("[platform] shutdown reboot suspend test_resume\n");
        assertThat(methods().get(SuspendMode.HYBRID.id()).probe().available()).isTrue();

        disk("[platform] shutdown reboot test_resume\n");
        Availability noSuspend = methods().get(SuspendMode.HYBRID.id()).probe();
        assertThat(noSuspend.reason()).isEqualTo(Reasons.MODE_NOT_OFFERED);
        assertThat(noSuspend.sentence()).contains("does not offer \"suspend\"");

        disk("platform shutdown [suspend]\n");
        assertThat(methods().get(SuspendMode.HYBRID.id()).probe().available()).isTrue();

        state("freeze mem\n");
        assertThat(methods().get(SuspendMode.HYBRID.id()).probe().reason()).isEqualTo(Reasons.MODE_NOT_OFFERED);
    }

    @Test
    void hybridWithoutTheDiskFileIsUnreadable() throws Exception {
        state("freeze mem disk\n");

        Availability answer = methods().get(SuspendMode.HYBRID.id()).probe();

        assertThat(answer.reason()).isEqualTo(Reasons.INTERFACE_UNREADABLE);
        assertThat(answer.sentence()).isEqualTo(root.resolve("disk") + " could not be read: No such file or directory");
    }

    @Test
    void hybridCanBeSwitchedOff() throws Exception {
        state("freeze mem disk\n");
        disk("[platform] suspend\n");

        Availability answer = methods("hybrid", false).get(SuspendMode.HYBRID.id()).probe();

        assertThat(answer.reason()).isEqualTo(Reasons.MODE_NOT_IMPLEMENTED);
    }

    @Test
    void actionsNameTheExactWrites() {
        Map<String, ProviderMethod> methods = methods();

        assertThat(methods.get(SuspendMode.DISK.id()).action(Map.of())).isEqualTo("write \"disk\" to " + root.resolve("state"));
        assertThat(methods.get(SuspendMode.RAM.id()).action(Map.of())).isEqualTo("write \"mem\" to " + root.resolve("state"));
        assertThat(methods.get(SuspendMode.HYBRID.id()).action(Map.of())).isEqualTo(
                "write \"suspend\" to " + root.resolve("disk") + ", then write \"disk\" to " + root.resolve("state"));
    }

    @Test
    void suspendWritesTheBareWord() throws Exception {
        state("freeze mem disk\n");

        Outcome ram = methods().get(SuspendMode.RAM.id()).perform(Map.of());
        assertThat(read("state")).isEqualTo("mem");
        Outcome disk = methods().get(SuspendMode.DISK.id()).perform(Map.of());
        assertThat(read("state")).isEqualTo("disk");

        assertThat(ram.done()).isTrue();
        assertThat(ram.sentence()).isEqualTo("wrote \"mem\" to " + root.resolve("state") + ": the guest has resumed");
        assertThat(disk.done()).isTrue();
    }

    @Test
    void aFailedWriteUsesTheUpstreamText() throws Exception {
        Outcome missing = methods().get(SuspendMode.RAM.id()).perform(Map.of());
        Files.createDirectory(root.resolve("state"));
        Outcome directory = methods().get(SuspendMode.DISK.id()).perform(Map.of());

        assertThat(missing.done()).isFalse();
        assertThat(missing.reason()).isEqualTo("write-failed");
        assertThat(missing.sentence())
                .isEqualTo("suspend: cannot write to '" + root.resolve("state") + "': No such file or directory");
        assertThat(directory.sentence())
                .isEqualTo("suspend: cannot write to '" + root.resolve("state") + "': Is a directory");
        assertThat(Files.exists(root.resolve("disk"))).as("nothing created").isFalse();
    }

    @Test
    void hybridSelectsSuspendBeforeWritingDiskThenRestoresTheSelection() throws Exception {
        disk("[platform] shutdown reboot suspend\n");
        Path state = root.resolve("state");
        new ProcessBuilder("mkfifo", state.toString()).start().waitFor();
        // The fake state is a pipe: the provider's open() of it blocks until a reader comes. The
        // reader comes only once /sys/power/disk selects "suspend", then takes the word written.
        CompletableFuture<String> atStateWrite = CompletableFuture.supplyAsync(() -> {
            try {
                long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!read("disk").equals("suspend") && System.nanoTime() < giveUp) {
                    Thread.sleep(5);
                }
                String selected = read("disk");
                try (InputStream in = Files.newInputStream(state)) {
                    return new String(in.readAllBytes(), StandardCharsets.US_ASCII) + " with disk=" + selected;
                }
            } catch (Exception e) {
                return e.toString();
            }
        });

        Outcome outcome = methods().get(SuspendMode.HYBRID.id()).perform(Map.of());

        assertThat(atStateWrite.get(10, TimeUnit.SECONDS)).isEqualTo("disk with disk=suspend");
        assertThat(outcome.done()).isTrue();
        assertThat(read("disk")).isEqualTo("platform");
    }

    @Test
    void hybridRestoresTheSelectionEvenWhenTheStateWriteFails() throws Exception {
        disk("[shutdown] suspend\n");

        Outcome outcome = methods().get(SuspendMode.HYBRID.id()).perform(Map.of());

        assertThat(outcome.done()).isFalse();
        assertThat(outcome.sentence())
                .isEqualTo("suspend: cannot write to '" + root.resolve("state") + "': No such file or directory");
        assertThat(read("disk")).isEqualTo("shutdown");
    }

    @Test
    void hybridRestoresTheSelectionWhenAnInterruptCutsTheStateWriteShort() throws Exception {
        disk("[platform] shutdown reboot suspend\n");
        Path state = root.resolve("state");
        new ProcessBuilder("mkfifo", state.toString()).start().waitFor();
        // The fake state is a pipe: the provider's open() of it blocks until a reader comes. Before
        // the reader comes (so before the write), the requesting thread is interrupted, as a
        // cancelled request is: the state write is cut short with "disk" selecting suspend.
        Thread requester = Thread.currentThread();
        CompletableFuture<String> atStateWrite = CompletableFuture.supplyAsync(() -> {
            try {
                long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!read("disk").equals("suspend") && System.nanoTime() < giveUp) {
                    Thread.sleep(5);
                }
                requester.interrupt();
                try (InputStream in = Files.newInputStream(state)) {
                    return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
                }
            } catch (Exception e) {
                return e.toString();
            }
        });

        Outcome outcome;
        try {
            outcome = methods().get(SuspendMode.HYBRID.id()).perform(Map.of());
        } finally {
            assertThat(Thread.interrupted()).as("the interrupt is kept for the caller").isTrue();
        }

        assertThat(atStateWrite.get(10, TimeUnit.SECONDS)).as("nothing reached the state file").isEmpty();
        assertThat(outcome.done()).isFalse();
        assertThat(outcome.sentence())
                .isEqualTo("suspend: cannot write to '" + state + "': Interrupted system call");
        assertThat(read("disk")).isEqualTo("platform");
    }

    @Test
    void everyJavadocBlockDocumentsSomething() throws Exception {
        dev.somnus.provider.common.JavadocBlocks.assertNoneStacked(java.nio.file.Path.of("src/main/java"));
    }
}
