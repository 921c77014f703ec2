package dev.somnus.suspend.sysfs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.somnus.api.suspend.Availability;
import dev.somnus.api.suspend.Reasons;
import dev.somnus.api.suspend.SuspendMode;
import dev.somnus.api.suspend.SuspendOutcome;
import dev.somnus.suspend.common.Configs;
import dev.somnus.suspend.common.SuspendMethod;
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

    private Map<SuspendMode, SuspendMethod> methods(Object... overrides) {
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

        Availability disk = methods().get(SuspendMode.DISK).probe();
        Availability ram = methods().get(SuspendMode.RAM).probe();

        assertThat(disk.available()).isTrue();
        assertThat(disk.reason()).isEqualTo(Reasons.SUPPORTED);
        assertThat(disk.sentence()).isEqualTo(root.resolve("state") + " holds \"freeze mem disk\"");
        assertThat(ram.available()).isTrue();
    }

    @Test
    void aModeMissingFromStateIsNotOffered() throws Exception {
        state("freeze mem\n");

        Availability disk = methods().get(SuspendMode.DISK).probe();

        assertThat(disk.available()).isFalse();
        assertThat(disk.reason()).isEqualTo(Reasons.MODE_NOT_OFFERED);
        assertThat(disk.sentence())
                .isEqualTo(root.resolve("state") + " holds \"freeze mem\", which does not offer \"disk\"");
        assertThat(methods().get(SuspendMode.RAM).probe().available()).isTrue();
    }

    @Test
    void theWordIsMatchedAsASubstringLikeQemuGa() throws Exception {
        // qemu-ga's strstr() test (§4.3): "memory" would count as "mem"; we keep that behaviour.
        state("memory");

        assertThat(methods().get(SuspendMode.RAM).probe().available()).isTrue();
    }

    @Test
    void anUnreadableStateIsReported() throws Exception {
        Availability answer = methods().get(SuspendMode.RAM).probe();

        assertThat(answer.reason()).isEqualTo(Reasons.INTERFACE_UNREADABLE);
        assertThat(answer.sentence())
                .isEqualTo(root.resolve("state") + " could not be read: No such file or directory");
    }

    @Test
    void hybridNeedsDiskInStateAndSuspendInDisk() throws Exception {
        state("freeze mem disk\n");
        disk("[platform] shutdown reboot suspend test_resume\n");
        assertThat(methods().get(SuspendMode.HYBRID).probe().available()).isTrue();

        disk("[platform] shutdown reboot test_resume\n");
        Availability noSuspend = methods().get(SuspendMode.HYBRID).probe();
        assertThat(noSuspend.reason()).isEqualTo(Reasons.MODE_NOT_OFFERED);
        assertThat(noSuspend.sentence()).contains("does not offer \"suspend\"");

        disk("platform shutdown [suspend]\n");
        assertThat(methods().get(SuspendMode.HYBRID).probe().available()).isTrue();

        state("freeze mem\n");
        assertThat(methods().get(SuspendMode.HYBRID).probe().reason()).isEqualTo(Reasons.MODE_NOT_OFFERED);
    }

    @Test
    void hybridWithoutTheDiskFileIsUnreadable() throws Exception {
        state("freeze mem disk\n");

        Availability answer = methods().get(SuspendMode.HYBRID).probe();

        assertThat(answer.reason()).isEqualTo(Reasons.INTERFACE_UNREADABLE);
        assertThat(answer.sentence()).isEqualTo(root.resolve("disk") + " could not be read: No such file or directory");
    }

    @Test
    void hybridCanBeSwitchedOff() throws Exception {
        state("freeze mem disk\n");
        disk("[platform] suspend\n");

        Availability answer = methods("hybrid", false).get(SuspendMode.HYBRID).probe();

        assertThat(answer.reason()).isEqualTo(Reasons.MODE_NOT_IMPLEMENTED);
    }

    @Test
    void actionsNameTheExactWrites() {
        Map<SuspendMode, SuspendMethod> methods = methods();

        assertThat(methods.get(SuspendMode.DISK).action()).isEqualTo("write \"disk\" to " + root.resolve("state"));
        assertThat(methods.get(SuspendMode.RAM).action()).isEqualTo("write \"mem\" to " + root.resolve("state"));
        assertThat(methods.get(SuspendMode.HYBRID).action()).isEqualTo(
                "write \"suspend\" to " + root.resolve("disk") + ", then write \"disk\" to " + root.resolve("state"));
    }

    @Test
    void suspendWritesTheBareWord() throws Exception {
        state("freeze mem disk\n");

        SuspendOutcome ram = methods().get(SuspendMode.RAM).perform();
        assertThat(read("state")).isEqualTo("mem");
        SuspendOutcome disk = methods().get(SuspendMode.DISK).perform();
        assertThat(read("state")).isEqualTo("disk");

        assertThat(ram.done()).isTrue();
        assertThat(ram.sentence()).isEqualTo("wrote \"mem\" to " + root.resolve("state") + ": the guest has resumed");
        assertThat(disk.done()).isTrue();
    }

    @Test
    void aFailedWriteUsesTheUpstreamText() throws Exception {
        SuspendOutcome missing = methods().get(SuspendMode.RAM).perform();
        Files.createDirectory(root.resolve("state"));
        SuspendOutcome directory = methods().get(SuspendMode.DISK).perform();

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

        SuspendOutcome outcome = methods().get(SuspendMode.HYBRID).perform();

        assertThat(atStateWrite.get(10, TimeUnit.SECONDS)).isEqualTo("disk with disk=suspend");
        assertThat(outcome.done()).isTrue();
        assertThat(read("disk")).isEqualTo("platform");
    }

    @Test
    void hybridRestoresTheSelectionEvenWhenTheStateWriteFails() throws Exception {
        disk("[shutdown] suspend\n");

        SuspendOutcome outcome = methods().get(SuspendMode.HYBRID).perform();

        assertThat(outcome.done()).isFalse();
        assertThat(outcome.sentence())
                .isEqualTo("suspend: cannot write to '" + root.resolve("state") + "': No such file or directory");
        assertThat(read("disk")).isEqualTo("shutdown");
    }
}
